using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class LayerVersionOncePerTransaction : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A bulk write (an import) runs this trigger once per statement; each update of the same
            // row inside one transaction leaves a row version that the next update has to step over,
            // so thousands of statements made every insert slower. One bump per transaction is enough
            // for the ETags, which only see committed versions.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION bump_layer_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- A transaction-local setting remembers the bump (and is undone with it on a rollback).
                    IF current_setting('settlementmap.bumped_' || TG_TABLE_NAME, true) IS DISTINCT FROM 'yes' THEN
                        UPDATE layer_versions SET version = version + 1 WHERE layer = TG_TABLE_NAME;
                        PERFORM set_config('settlementmap.bumped_' || TG_TABLE_NAME, 'yes', true);
                    END IF;
                    RETURN NULL;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION bump_layer_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE layer_versions SET version = version + 1 WHERE layer = TG_TABLE_NAME;
                    RETURN NULL;
                END $$;
                """);
        }
    }
}
