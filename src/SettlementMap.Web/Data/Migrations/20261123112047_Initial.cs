using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:postgis", ",,");

            migrationBuilder.CreateTable(
                name: "districts",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    code = table.Column<string>(type: "text", nullable: false),
                    name_latn = table.Column<string>(type: "text", nullable: false),
                    name_cyrl = table.Column<string>(type: "text", nullable: false),
                    name_en = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_districts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "programmes",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    code = table.Column<string>(type: "text", nullable: false),
                    name_en = table.Column<string>(type: "text", nullable: false),
                    name_sr_latn = table.Column<string>(type: "text", nullable: false),
                    name_sr_cyrl = table.Column<string>(type: "text", nullable: false),
                    funders = table.Column<string>(type: "text", nullable: false),
                    started_on = table.Column<DateOnly>(type: "date", nullable: true),
                    ended_on = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_programmes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "settlement_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    settlement_id = table.Column<long>(type: "bigint", nullable: false),
                    action = table.Column<string>(type: "text", nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    changed_by = table.Column<string>(type: "text", nullable: false),
                    changes = table.Column<string>(type: "jsonb", nullable: false),
                    geom_before = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: true),
                    geom_after = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: true),
                    note = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_settlement_changes", x => x.id);
                    table.CheckConstraint("ck_settlement_changes_action", "action IN ('create', 'update', 'delete', 'restore')");
                });

            migrationBuilder.CreateTable(
                name: "municipalities",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    code = table.Column<string>(type: "text", nullable: false),
                    name_latn = table.Column<string>(type: "text", nullable: false),
                    name_cyrl = table.Column<string>(type: "text", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    district_id = table.Column<int>(type: "integer", nullable: false),
                    population = table.Column<int>(type: "integer", nullable: true),
                    seat = table.Column<Point>(type: "geometry(Point,4326)", nullable: false),
                    geom = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: false),
                    boundary_approximate = table.Column<bool>(type: "boolean", nullable: false),
                    source = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_municipalities", x => x.id);
                    table.CheckConstraint("ck_municipalities_geom_valid", "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)");
                    table.CheckConstraint("ck_municipalities_kind", "kind IN ('municipality', 'city', 'city_municipality')");
                    table.ForeignKey(
                        name: "FK_municipalities_districts_district_id",
                        column: x => x.district_id,
                        principalTable: "districts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "coverage",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    municipality_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    programme_id = table.Column<int>(type: "integer", nullable: true),
                    count = table.Column<int>(type: "integer", nullable: true),
                    valid_from = table.Column<DateOnly>(type: "date", nullable: true),
                    valid_to = table.Column<DateOnly>(type: "date", nullable: true),
                    source = table.Column<string>(type: "text", nullable: false),
                    note = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_coverage", x => x.id);
                    table.CheckConstraint("ck_coverage_count", "count IS NULL OR count >= 0");
                    table.CheckConstraint("ck_coverage_kind", "kind IN ('coordinator', 'health_mediator', 'pedagogical_assistant', 'mobile_team', 'local_action_plan', 'inter_ethnic_council', 'programme')");
                    table.CheckConstraint("ck_coverage_period", "valid_to IS NULL OR valid_to >= valid_from");
                    table.CheckConstraint("ck_coverage_programme", "(kind = 'programme') = (programme_id IS NOT NULL)");
                    table.ForeignKey(
                        name: "FK_coverage_municipalities_municipality_id",
                        column: x => x.municipality_id,
                        principalTable: "municipalities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_coverage_programmes_programme_id",
                        column: x => x.programme_id,
                        principalTable: "programmes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "settlements",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    code = table.Column<string>(type: "text", nullable: false),
                    name_latn = table.Column<string>(type: "text", nullable: false),
                    name_cyrl = table.Column<string>(type: "text", nullable: false),
                    municipality_id = table.Column<int>(type: "integer", nullable: false),
                    settlement_type = table.Column<string>(type: "text", nullable: false),
                    location_class = table.Column<string>(type: "text", nullable: false),
                    decade_founded = table.Column<int>(type: "integer", nullable: true),
                    geom = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: false),
                    area_m2 = table.Column<double>(type: "double precision", nullable: false, computedColumnSql: "ST_Area(geom::geography)", stored: true),
                    centroid = table.Column<Point>(type: "geometry(Point,4326)", nullable: true, computedColumnSql: "ST_Centroid(geom)", stored: true),
                    estimated_inhabitants = table.Column<int>(type: "integer", nullable: true),
                    households = table.Column<int>(type: "integer", nullable: true),
                    population_year = table.Column<int>(type: "integer", nullable: true),
                    population_source = table.Column<string>(type: "text", nullable: true),
                    dwelling_count = table.Column<int>(type: "integer", nullable: true),
                    main_building_material = table.Column<string>(type: "text", nullable: false),
                    substandard_share_pct = table.Column<decimal>(type: "numeric(5,2)", precision: 5, scale: 2, nullable: true),
                    legal_status = table.Column<string>(type: "text", nullable: false),
                    overcrowding = table.Column<string>(type: "text", nullable: false),
                    planning_document = table.Column<string>(type: "text", nullable: false),
                    water_supply = table.Column<string>(type: "text", nullable: false),
                    sewerage = table.Column<string>(type: "text", nullable: false),
                    electricity = table.Column<string>(type: "text", nullable: false),
                    heating = table.Column<string>(type: "text", nullable: false),
                    paved_access_road = table.Column<string>(type: "text", nullable: false),
                    street_network = table.Column<string>(type: "text", nullable: false),
                    waste_collection = table.Column<string>(type: "text", nullable: false),
                    street_lighting = table.Column<string>(type: "text", nullable: false),
                    distance_to_seat_m = table.Column<int>(type: "integer", nullable: true),
                    distance_to_primary_school_m = table.Column<int>(type: "integer", nullable: true),
                    distance_to_preschool_m = table.Column<int>(type: "integer", nullable: true),
                    distance_to_health_centre_m = table.Column<int>(type: "integer", nullable: true),
                    distance_to_social_work_centre_m = table.Column<int>(type: "integer", nullable: true),
                    distance_to_transport_stop_m = table.Column<int>(type: "integer", nullable: true),
                    distance_to_pharmacy_m = table.Column<int>(type: "integer", nullable: true),
                    flood_zone = table.Column<string>(type: "text", nullable: false),
                    hazard_nearby = table.Column<string>(type: "text", nullable: false),
                    eviction_threat = table.Column<string>(type: "text", nullable: false),
                    source = table.Column<string>(type: "text", nullable: false),
                    data_collected_on = table.Column<DateOnly>(type: "date", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_by = table.Column<string>(type: "text", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_settlements", x => x.id);
                    table.CheckConstraint("ck_settlements_counts", "estimated_inhabitants >= 0 AND households >= 0 AND dwelling_count >= 0");
                    table.CheckConstraint("ck_settlements_distances", "distance_to_seat_m >= 0 AND distance_to_primary_school_m >= 0 AND distance_to_preschool_m >= 0 AND distance_to_health_centre_m >= 0 AND distance_to_social_work_centre_m >= 0 AND distance_to_transport_stop_m >= 0 AND distance_to_pharmacy_m >= 0");
                    table.CheckConstraint("ck_settlements_electricity", "electricity IN ('unknown', 'legal', 'partial', 'illegal', 'none')");
                    table.CheckConstraint("ck_settlements_eviction_threat", "eviction_threat IN ('unknown', 'yes', 'no')");
                    table.CheckConstraint("ck_settlements_flood_zone", "flood_zone IN ('unknown', 'yes', 'no')");
                    table.CheckConstraint("ck_settlements_geom_valid", "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)");
                    table.CheckConstraint("ck_settlements_hazard_nearby", "hazard_nearby IN ('unknown', 'yes', 'no')");
                    table.CheckConstraint("ck_settlements_heating", "heating IN ('unknown', 'district', 'electricity_gas', 'wood_coal', 'none')");
                    table.CheckConstraint("ck_settlements_legal_status", "legal_status IN ('unknown', 'legalised', 'in_process', 'not_legalised')");
                    table.CheckConstraint("ck_settlements_location_class", "location_class IN ('unknown', 'within_town', 'town_edge', 'outside_town', 'dispersed')");
                    table.CheckConstraint("ck_settlements_main_building_material", "main_building_material IN ('unknown', 'brick_block', 'mixed', 'makeshift')");
                    table.CheckConstraint("ck_settlements_overcrowding", "overcrowding IN ('unknown', 'yes', 'no')");
                    table.CheckConstraint("ck_settlements_paved_access_road", "paved_access_road IN ('unknown', 'yes', 'no')");
                    table.CheckConstraint("ck_settlements_planning_document", "planning_document IN ('unknown', 'yes', 'in_preparation', 'no')");
                    table.CheckConstraint("ck_settlements_settlement_type", "settlement_type IN ('unknown', 'urban', 'suburban', 'rural')");
                    table.CheckConstraint("ck_settlements_sewerage", "sewerage IN ('unknown', 'network', 'septic', 'none')");
                    table.CheckConstraint("ck_settlements_street_lighting", "street_lighting IN ('unknown', 'yes', 'no')");
                    table.CheckConstraint("ck_settlements_street_network", "street_network IN ('unknown', 'yes', 'no')");
                    table.CheckConstraint("ck_settlements_substandard_share", "substandard_share_pct BETWEEN 0 AND 100");
                    table.CheckConstraint("ck_settlements_waste_collection", "waste_collection IN ('unknown', 'yes', 'no')");
                    table.CheckConstraint("ck_settlements_water_supply", "water_supply IN ('unknown', 'network', 'wells', 'none')");
                    table.ForeignKey(
                        name: "FK_settlements_municipalities_municipality_id",
                        column: x => x.municipality_id,
                        principalTable: "municipalities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_coverage_municipality_id_kind_valid_from",
                table: "coverage",
                columns: new[] { "municipality_id", "kind", "valid_from" });

            migrationBuilder.CreateIndex(
                name: "IX_coverage_programme_id",
                table: "coverage",
                column: "programme_id");

            migrationBuilder.CreateIndex(
                name: "IX_districts_code",
                table: "districts",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_municipalities_code",
                table: "municipalities",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_municipalities_district_id",
                table: "municipalities",
                column: "district_id");

            migrationBuilder.CreateIndex(
                name: "IX_municipalities_geom",
                table: "municipalities",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "IX_municipalities_seat",
                table: "municipalities",
                column: "seat")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "IX_programmes_code",
                table: "programmes",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_settlement_changes_geom_after",
                table: "settlement_changes",
                column: "geom_after")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "IX_settlement_changes_geom_before",
                table: "settlement_changes",
                column: "geom_before")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "IX_settlement_changes_settlement_id_changed_at",
                table: "settlement_changes",
                columns: new[] { "settlement_id", "changed_at" });

            migrationBuilder.CreateIndex(
                name: "IX_settlements_centroid",
                table: "settlements",
                column: "centroid")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "IX_settlements_code",
                table: "settlements",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_settlements_geom",
                table: "settlements",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "IX_settlements_municipality_id",
                table: "settlements",
                column: "municipality_id");
            // The audit history is append-only: the database itself refuses to change or remove it.
            migrationBuilder.Sql("""
                CREATE FUNCTION settlement_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'settlement_changes is append-only: % is not allowed', TG_OP
                        USING ERRCODE = 'insufficient_privilege';
                END $$;
                CREATE TRIGGER settlement_changes_append_only
                    BEFORE UPDATE OR DELETE OR TRUNCATE ON settlement_changes
                    FOR EACH STATEMENT EXECUTE FUNCTION settlement_changes_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS settlement_changes_append_only ON settlement_changes; DROP FUNCTION IF EXISTS settlement_changes_append_only();");
            migrationBuilder.DropTable(
                name: "coverage");

            migrationBuilder.DropTable(
                name: "settlement_changes");

            migrationBuilder.DropTable(
                name: "settlements");

            migrationBuilder.DropTable(
                name: "programmes");

            migrationBuilder.DropTable(
                name: "municipalities");

            migrationBuilder.DropTable(
                name: "districts");
        }
    }
}
