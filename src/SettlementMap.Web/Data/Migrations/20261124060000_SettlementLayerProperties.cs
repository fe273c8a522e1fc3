using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <summary>
    /// settlement_layer_properties: each settlement's GeoJSON "properties" object of the settlements layer,
    /// as the JSON text PostgreSQL's row_to_json writes, kept in step by triggers on settlements,
    /// municipalities and districts (the object names its municipality and district; the model does not
    /// change; nothing but these triggers writes it). The layer (<c>LayerSql.Settlements</c>) reads it
    /// instead of writing 25 values of every row again at each request: in pgbench the city-zoom bbox
    /// query at 100k spent ~40 % of its time in that row_to_json, the rest on the outlines.
    /// The object's keys and their order are those of the view settlement_layer_properties_source, the
    /// one definition both the triggers and the first fill use; a change to the layer's properties is a
    /// new migration that replaces the view and refills the table.
    /// </summary>
    [DbContext(typeof(SettlementMapDbContext))]
    [Migration("20261124060000_SettlementLayerProperties")]
    public partial class SettlementLayerProperties : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE VIEW settlement_layer_properties_source AS
                    SELECT s.id, (SELECT row_to_json(p) FROM (SELECT s.id, s.code, s.name_latn, s.name_cyrl,
                        m.code AS municipality_code, m.name_latn AS municipality_name_latn, m.name_cyrl AS municipality_name_cyrl,
                        d.code AS district_code, s.settlement_type, s.location_class, s.estimated_inhabitants, s.households,
                        s.main_building_material, s.substandard_share_pct, s.legal_status, s.water_supply, s.sewerage,
                        s.electricity, s.heating, s.distance_to_primary_school_m, s.distance_to_health_centre_m,
                        s.flood_zone, s.hazard_nearby, s.eviction_threat, s.source) p)::text AS properties
                    FROM settlements s JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id;

                CREATE TABLE settlement_layer_properties (id bigint PRIMARY KEY, properties text NOT NULL);
                INSERT INTO settlement_layer_properties SELECT id, properties FROM settlement_layer_properties_source;
                ANALYZE settlement_layer_properties;

                CREATE FUNCTION refresh_settlement_layer_properties(ids bigint[]) RETURNS void LANGUAGE sql AS $$
                    INSERT INTO settlement_layer_properties
                    SELECT id, properties FROM settlement_layer_properties_source WHERE id = ANY (ids)
                    ON CONFLICT (id) DO UPDATE SET properties = EXCLUDED.properties;
                $$;

                CREATE FUNCTION sync_settlement_layer_properties() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        DELETE FROM settlement_layer_properties WHERE id = OLD.id;
                    ELSE
                        PERFORM refresh_settlement_layer_properties(ARRAY[NEW.id]);
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER settlements_layer_properties AFTER INSERT OR UPDATE OR DELETE ON settlements
                    FOR EACH ROW EXECUTE FUNCTION sync_settlement_layer_properties();

                CREATE FUNCTION truncate_settlement_layer_properties() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    TRUNCATE settlement_layer_properties;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER settlements_layer_properties_truncate AFTER TRUNCATE ON settlements
                    FOR EACH STATEMENT EXECUTE FUNCTION truncate_settlement_layer_properties();

                -- A renamed municipality or district, or a municipality moved to another district, changes the
                -- properties of its settlements.
                CREATE FUNCTION sync_place_layer_properties() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_TABLE_NAME = 'municipalities' THEN
                        PERFORM refresh_settlement_layer_properties(ARRAY(SELECT id FROM settlements WHERE municipality_id = NEW.id));
                    ELSE
                        PERFORM refresh_settlement_layer_properties(ARRAY(
                            SELECT s.id FROM settlements s JOIN municipalities m ON m.id = s.municipality_id WHERE m.district_id = NEW.id));
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER municipalities_layer_properties AFTER UPDATE OF code, name_latn, name_cyrl, district_id ON municipalities
                    FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code OR OLD.name_latn IS DISTINCT FROM NEW.name_latn
                        OR OLD.name_cyrl IS DISTINCT FROM NEW.name_cyrl OR OLD.district_id IS DISTINCT FROM NEW.district_id)
                    EXECUTE FUNCTION sync_place_layer_properties();
                CREATE TRIGGER districts_layer_properties AFTER UPDATE OF code ON districts
                    FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code)
                    EXECUTE FUNCTION sync_place_layer_properties();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS districts_layer_properties ON districts;
                DROP TRIGGER IF EXISTS municipalities_layer_properties ON municipalities;
                DROP TRIGGER IF EXISTS settlements_layer_properties_truncate ON settlements;
                DROP TRIGGER IF EXISTS settlements_layer_properties ON settlements;
                DROP FUNCTION IF EXISTS sync_place_layer_properties();
                DROP FUNCTION IF EXISTS truncate_settlement_layer_properties();
                DROP FUNCTION IF EXISTS sync_settlement_layer_properties();
                DROP FUNCTION IF EXISTS refresh_settlement_layer_properties(bigint[]);
                DROP TABLE IF EXISTS settlement_layer_properties;
                DROP VIEW IF EXISTS settlement_layer_properties_source;
                """);
        }
    }
}
