using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <summary>
    /// settlement_versions: every state a settlement has had, each with the period it was valid in
    /// (a tstzrange, [from, to), open while current), so that the map, the tiles, the figures and the OGC
    /// items can answer for any instant (Features/History). Its settlement columns mirror settlements'
    /// (LIKE settlements; the definition file settlement_versions.sql keeps them in step after every
    /// migration and writes the versions from a trigger on settlements, in the same transaction as the
    /// change). btree_gist gives the exclusion constraint that refuses two versions of one settlement
    /// valid at the same instant. Existing settlements and their audit rows are replayed into it by that
    /// file's refill, which runs once the trigger and the column lists exist. The model does not change.
    /// </summary>
    [DbContext(typeof(SettlementMapDbContext))]
    [Migration("20261203180000_SettlementVersions")]
    public partial class SettlementVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS btree_gist;
                CREATE TABLE settlement_versions (
                    version_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    valid tstzrange NOT NULL CONSTRAINT ck_settlement_versions_valid CHECK (NOT isempty(valid) AND NOT lower_inf(valid)),
                    LIKE settlements INCLUDING GENERATED);
                ALTER TABLE settlement_versions ADD CONSTRAINT ex_settlement_versions_overlap EXCLUDE USING gist (id WITH =, valid WITH &&);
                CREATE INDEX ix_settlement_versions_geom_valid ON settlement_versions USING gist (geom, valid);
                CREATE INDEX ix_settlement_versions_valid ON settlement_versions USING gist (valid);
                CREATE INDEX ix_settlement_versions_centroid ON settlement_versions USING gist (centroid);
                -- The point tiles as of an instant compare each centroid in Web Mercator (SettlementSql.PointsJoined).
                CREATE INDEX ix_settlement_versions_point_valid ON settlement_versions USING gist ((ST_Transform(centroid, 3857)), valid);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS settlement_versions_record ON settlements;
                DROP FUNCTION IF EXISTS record_settlement_version();
                DROP FUNCTION IF EXISTS settlements_as_of(timestamptz);
                DROP FUNCTION IF EXISTS settlements_during(tstzrange);
                DROP TABLE settlement_versions;
                """);
        }
    }
}
