using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class LayerVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // One counter per published table, bumped by every statement that changes it: the ETag of
            // every layer and tile is built from these, so any edit changes the ETag of what it affects.
            migrationBuilder.Sql("""
                CREATE TABLE layer_versions (layer text PRIMARY KEY, version bigint NOT NULL DEFAULT 1);
                INSERT INTO layer_versions (layer) VALUES ('settlements'), ('municipalities'), ('coverage'), ('programmes');
                CREATE FUNCTION bump_layer_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE layer_versions SET version = version + 1 WHERE layer = TG_TABLE_NAME;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER settlements_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settlements
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version();
                CREATE TRIGGER municipalities_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON municipalities
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version();
                CREATE TRIGGER coverage_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON coverage
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version();
                CREATE TRIGGER programmes_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON programmes
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS settlements_version ON settlements;
                DROP TRIGGER IF EXISTS municipalities_version ON municipalities;
                DROP TRIGGER IF EXISTS coverage_version ON coverage;
                DROP TRIGGER IF EXISTS programmes_version ON programmes;
                DROP FUNCTION IF EXISTS bump_layer_version();
                DROP TABLE IF EXISTS layer_versions;
                """);
        }
    }
}
