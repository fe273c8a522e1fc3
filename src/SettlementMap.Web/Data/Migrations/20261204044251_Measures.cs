using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Measures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "action_plans",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    municipality_id = table.Column<int>(type: "integer", nullable: false),
                    title_latn = table.Column<string>(type: "text", nullable: false),
                    title_cyrl = table.Column<string>(type: "text", nullable: false),
                    title_en = table.Column<string>(type: "text", nullable: true),
                    period_start = table.Column<DateOnly>(type: "date", nullable: false),
                    period_end = table.Column<DateOnly>(type: "date", nullable: false),
                    adopted_on = table.Column<DateOnly>(type: "date", nullable: true),
                    document_url = table.Column<string>(type: "text", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_by = table.Column<string>(type: "text", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_action_plans", x => x.id);
                    table.CheckConstraint("ck_action_plans_document_url", "document_url ~ '^https?://' AND length(document_url) <= 2000");
                    table.CheckConstraint("ck_action_plans_period", "period_end >= period_start");
                    table.CheckConstraint("ck_action_plans_titles", "length(title_latn) BETWEEN 1 AND 300 AND length(title_cyrl) BETWEEN 1 AND 300 AND length(title_en) <= 300");
                    table.ForeignKey(
                        name: "FK_action_plans_municipalities_municipality_id",
                        column: x => x.municipality_id,
                        principalTable: "municipalities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "measure_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    measure_id = table.Column<long>(type: "bigint", nullable: true),
                    action_plan_id = table.Column<int>(type: "integer", nullable: false),
                    municipality_id = table.Column<int>(type: "integer", nullable: false),
                    action = table.Column<string>(type: "text", nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    changed_by = table.Column<string>(type: "text", nullable: false),
                    changes = table.Column<string>(type: "jsonb", nullable: false),
                    before = table.Column<string>(type: "jsonb", nullable: true),
                    after = table.Column<string>(type: "jsonb", nullable: true),
                    request_key = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_measure_changes", x => x.id);
                    table.CheckConstraint("ck_measure_changes_action", "action IN ('create', 'update', 'delete', 'restore')");
                });

            migrationBuilder.CreateTable(
                name: "measures",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    action_plan_id = table.Column<int>(type: "integer", nullable: false),
                    priority_area = table.Column<string>(type: "text", nullable: false),
                    title_latn = table.Column<string>(type: "text", nullable: false),
                    title_cyrl = table.Column<string>(type: "text", nullable: false),
                    title_en = table.Column<string>(type: "text", nullable: true),
                    target_attribute = table.Column<string>(type: "text", nullable: true),
                    target_value = table.Column<string>(type: "text", nullable: true),
                    responsible_body = table.Column<string>(type: "text", nullable: true),
                    funding_source = table.Column<string>(type: "text", nullable: false),
                    programme_id = table.Column<int>(type: "integer", nullable: true),
                    donor_name = table.Column<string>(type: "text", nullable: true),
                    currency = table.Column<string>(type: "text", nullable: true),
                    budget_amount = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: true),
                    spent_amount = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: true),
                    status = table.Column<string>(type: "text", nullable: false),
                    started_on = table.Column<DateOnly>(type: "date", nullable: true),
                    done_on = table.Column<DateOnly>(type: "date", nullable: true),
                    dropped_on = table.Column<DateOnly>(type: "date", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_by = table.Column<string>(type: "text", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_measures", x => x.id);
                    table.CheckConstraint("ck_measures_amounts", "budget_amount BETWEEN 0 AND 100000000000 AND spent_amount BETWEEN 0 AND 100000000000");
                    table.CheckConstraint("ck_measures_currency", "currency IN ('RSD', 'EUR') AND (currency IS NOT NULL OR (budget_amount IS NULL AND spent_amount IS NULL))");
                    table.CheckConstraint("ck_measures_funding", "(funding_source = 'programme') = (programme_id IS NOT NULL) AND (funding_source = 'donor') = (donor_name IS NOT NULL)");
                    table.CheckConstraint("ck_measures_funding_source", "funding_source IN ('municipal_budget', 'programme', 'donor', 'other')");
                    table.CheckConstraint("ck_measures_priority_area", "priority_area IN ('housing', 'education', 'employment', 'health', 'social_protection', 'access_to_rights')");
                    table.CheckConstraint("ck_measures_status", "status IN ('planned', 'in_progress', 'done', 'dropped')");
                    table.CheckConstraint("ck_measures_status_days", "(status = 'planned' AND started_on IS NULL AND done_on IS NULL AND dropped_on IS NULL) OR (status = 'in_progress' AND started_on IS NOT NULL AND done_on IS NULL AND dropped_on IS NULL) OR (status = 'done' AND done_on IS NOT NULL AND dropped_on IS NULL) OR (status = 'dropped' AND dropped_on IS NOT NULL AND done_on IS NULL)");
                    table.CheckConstraint("ck_measures_status_order", "started_on <= done_on AND started_on <= dropped_on");
                    table.CheckConstraint("ck_measures_target", "(target_attribute IS NULL) = (target_value IS NULL)");
                    table.CheckConstraint("ck_measures_titles", "length(title_latn) BETWEEN 1 AND 300 AND length(title_cyrl) BETWEEN 1 AND 300 AND length(title_en) <= 300");
                    table.ForeignKey(
                        name: "FK_measures_action_plans_action_plan_id",
                        column: x => x.action_plan_id,
                        principalTable: "action_plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_measures_programmes_programme_id",
                        column: x => x.programme_id,
                        principalTable: "programmes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "measure_indicators",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    measure_id = table.Column<long>(type: "bigint", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    unit = table.Column<string>(type: "text", nullable: true),
                    target_value = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true),
                    achieved_value = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_measure_indicators", x => x.id);
                    table.CheckConstraint("ck_measure_indicators_values", "abs(target_value) <= 1000000000000 AND abs(achieved_value) <= 1000000000000");
                    table.ForeignKey(
                        name: "FK_measure_indicators_measures_measure_id",
                        column: x => x.measure_id,
                        principalTable: "measures",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "measure_settlements",
                columns: table => new
                {
                    measure_id = table.Column<long>(type: "bigint", nullable: false),
                    settlement_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_measure_settlements", x => new { x.measure_id, x.settlement_id });
                    table.ForeignKey(
                        name: "FK_measure_settlements_measures_measure_id",
                        column: x => x.measure_id,
                        principalTable: "measures",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_measure_settlements_settlements_settlement_id",
                        column: x => x.settlement_id,
                        principalTable: "settlements",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_action_plans_municipality_id_period_start",
                table: "action_plans",
                columns: new[] { "municipality_id", "period_start" });

            migrationBuilder.CreateIndex(
                name: "IX_measure_changes_changed_by_request_key",
                table: "measure_changes",
                columns: new[] { "changed_by", "request_key" },
                unique: true,
                filter: "request_key IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_measure_changes_measure_id_changed_at",
                table: "measure_changes",
                columns: new[] { "measure_id", "changed_at" });

            migrationBuilder.CreateIndex(
                name: "IX_measure_changes_municipality_id_changed_at",
                table: "measure_changes",
                columns: new[] { "municipality_id", "changed_at" });

            migrationBuilder.CreateIndex(
                name: "IX_measure_indicators_measure_id_position",
                table: "measure_indicators",
                columns: new[] { "measure_id", "position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_measure_settlements_settlement_id",
                table: "measure_settlements",
                column: "settlement_id");

            migrationBuilder.CreateIndex(
                name: "IX_measures_action_plan_id",
                table: "measures",
                column: "action_plan_id");

            migrationBuilder.CreateIndex(
                name: "IX_measures_programme_id",
                table: "measures",
                column: "programme_id");

            migrationBuilder.CreateIndex(
                name: "IX_measures_status_priority_area",
                table: "measures",
                columns: new[] { "status", "priority_area" });

            // The measures' tables are published (their ETags are built from these counters, bumped by bump_layer_version.sql).
            migrationBuilder.Sql("""
                INSERT INTO layer_versions (layer) VALUES ('action_plans'), ('measures'), ('measure_settlements'), ('measure_indicators')
                ON CONFLICT DO NOTHING;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM layer_versions WHERE layer IN ('action_plans', 'measures', 'measure_settlements', 'measure_indicators');");

            migrationBuilder.DropTable(
                name: "measure_changes");

            migrationBuilder.DropTable(
                name: "measure_indicators");

            migrationBuilder.DropTable(
                name: "measure_settlements");

            migrationBuilder.DropTable(
                name: "measures");

            migrationBuilder.DropTable(
                name: "action_plans");
        }
    }
}
