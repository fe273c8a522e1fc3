using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <summary>
    /// settlement_points: each settlement's centroid in Web Mercator with the attributes the map styles
    /// and filters by, and nothing else, kept in step with settlements by triggers (the model does not
    /// change; nothing but these triggers writes it). The vector tiles below zoom 12 read it: a z8 tile
    /// at 100k settlements scans ~16,000 of them, and in settlements each sits in its own page beside
    /// its outline (up to 2 kB inline), so that tile read ~11,000 pages and took ~220 ms of PostgreSQL;
    /// here ~60 rows share a page and the same tile takes ~75 ms. Tiles from zoom 12 read the outlines
    /// from settlements as before.
    /// </summary>
    [DbContext(typeof(SettlementMapDbContext))]
    [Migration("20261124004500_SettlementPoints")]
    public partial class SettlementPoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE settlement_points AS
                    SELECT id, ST_Transform(centroid, 3857)::geometry(Point, 3857) AS point, municipality_id,
                           name_latn, name_cyrl, water_supply, sewerage, electricity, legal_status,
                           flood_zone, hazard_nearby, eviction_threat, substandard_share_pct, estimated_inhabitants,
                           distance_to_primary_school_m, distance_to_health_centre_m
                    FROM settlements;
                ALTER TABLE settlement_points ADD PRIMARY KEY (id), ALTER COLUMN point SET NOT NULL, ALTER COLUMN municipality_id SET NOT NULL;
                CREATE INDEX ix_settlement_points_point ON settlement_points USING gist (point);
                ANALYZE settlement_points;

                CREATE FUNCTION sync_settlement_point() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        DELETE FROM settlement_points WHERE id = OLD.id;
                        RETURN NULL;
                    END IF;
                    -- AFTER the write, so NEW.centroid (a generated column) is computed.
                    INSERT INTO settlement_points (id, point, municipality_id, name_latn, name_cyrl, water_supply, sewerage,
                        electricity, legal_status, flood_zone, hazard_nearby, eviction_threat, substandard_share_pct,
                        estimated_inhabitants, distance_to_primary_school_m, distance_to_health_centre_m)
                    VALUES (NEW.id, ST_Transform(NEW.centroid, 3857), NEW.municipality_id, NEW.name_latn, NEW.name_cyrl,
                        NEW.water_supply, NEW.sewerage, NEW.electricity, NEW.legal_status, NEW.flood_zone, NEW.hazard_nearby,
                        NEW.eviction_threat, NEW.substandard_share_pct, NEW.estimated_inhabitants,
                        NEW.distance_to_primary_school_m, NEW.distance_to_health_centre_m)
                    ON CONFLICT (id) DO UPDATE SET point = EXCLUDED.point, municipality_id = EXCLUDED.municipality_id,
                        name_latn = EXCLUDED.name_latn, name_cyrl = EXCLUDED.name_cyrl, water_supply = EXCLUDED.water_supply,
                        sewerage = EXCLUDED.sewerage, electricity = EXCLUDED.electricity, legal_status = EXCLUDED.legal_status,
                        flood_zone = EXCLUDED.flood_zone, hazard_nearby = EXCLUDED.hazard_nearby,
                        eviction_threat = EXCLUDED.eviction_threat, substandard_share_pct = EXCLUDED.substandard_share_pct,
                        estimated_inhabitants = EXCLUDED.estimated_inhabitants,
                        distance_to_primary_school_m = EXCLUDED.distance_to_primary_school_m,
                        distance_to_health_centre_m = EXCLUDED.distance_to_health_centre_m;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER settlements_points AFTER INSERT OR UPDATE OR DELETE ON settlements
                    FOR EACH ROW EXECUTE FUNCTION sync_settlement_point();

                CREATE FUNCTION truncate_settlement_points() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    TRUNCATE settlement_points;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER settlements_points_truncate AFTER TRUNCATE ON settlements
                    FOR EACH STATEMENT EXECUTE FUNCTION truncate_settlement_points();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS settlements_points_truncate ON settlements;
                DROP TRIGGER IF EXISTS settlements_points ON settlements;
                DROP FUNCTION IF EXISTS truncate_settlement_points();
                DROP FUNCTION IF EXISTS sync_settlement_point();
                DROP TABLE IF EXISTS settlement_points;
                """);
        }
    }
}
