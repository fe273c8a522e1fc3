using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <summary>
    /// The version bump also notifies the channel layer_versions (delivered at commit, dropped on a
    /// rollback), so the app's in-memory copy of the versions (Http/LayerVersions) is dropped when
    /// anyone writes, without asking the table on every request. The model does not change.
    /// </summary>
    [DbContext(typeof(SettlementMapDbContext))]
    [Migration("20261124000500_LayerVersionNotify")]
    public partial class LayerVersionNotify : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION bump_layer_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- A transaction-local setting remembers the bump (and is undone with it on a rollback).
                    IF current_setting('settlementmap.bumped_' || TG_TABLE_NAME, true) IS DISTINCT FROM 'yes' THEN
                        UPDATE layer_versions SET version = version + 1 WHERE layer = TG_TABLE_NAME;
                        PERFORM set_config('settlementmap.bumped_' || TG_TABLE_NAME, 'yes', true);
                        PERFORM pg_notify('layer_versions', TG_TABLE_NAME);
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
                    IF current_setting('settlementmap.bumped_' || TG_TABLE_NAME, true) IS DISTINCT FROM 'yes' THEN
                        UPDATE layer_versions SET version = version + 1 WHERE layer = TG_TABLE_NAME;
                        PERFORM set_config('settlementmap.bumped_' || TG_TABLE_NAME, 'yes', true);
                    END IF;
                    RETURN NULL;
                END $$;
                """);
        }
    }
}
