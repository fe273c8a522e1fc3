using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class WhoSeesWhat : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "attribute_levels",
                columns: table => new
                {
                    attribute = table.Column<string>(type: "text", nullable: false),
                    level = table.Column<string>(type: "text", nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    changed_by = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_attribute_levels", x => x.attribute);
                    table.CheckConstraint("ck_attribute_levels_level", "level IN ('public', 'signed_in', 'administrators')");
                });

            migrationBuilder.CreateTable(
                name: "disclosure_settings",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    generalise_small = table.Column<bool>(type: "boolean", nullable: false),
                    threshold = table.Column<int>(type: "integer", nullable: false),
                    radius_m = table.Column<int>(type: "integer", nullable: false),
                    salt = table.Column<string>(type: "text", nullable: false, defaultValueSql: "gen_random_uuid()::text"),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    changed_by = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_disclosure_settings", x => x.id);
                    table.CheckConstraint("ck_disclosure_settings_one_row", "id = 1");
                    table.CheckConstraint("ck_disclosure_settings_radius", "radius_m BETWEEN 100 AND 5000");
                    table.CheckConstraint("ck_disclosure_settings_threshold", "threshold BETWEEN 1 AND 10000");
                });

            migrationBuilder.CreateTable(
                name: "sensitivity_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    changed_by = table.Column<string>(type: "text", nullable: false),
                    subject = table.Column<string>(type: "text", nullable: false),
                    before = table.Column<string>(type: "jsonb", nullable: true),
                    after = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sensitivity_changes", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_sensitivity_changes_changed_at",
                table: "sensitivity_changes",
                column: "changed_at");

            // The one settings row (the defaults of Generalisation.Default) and the versions the ETags read.
            migrationBuilder.Sql("""
                INSERT INTO disclosure_settings (id, generalise_small, threshold, radius_m, changed_by) VALUES (1, true, 100, 500, 'migration');
                INSERT INTO layer_versions (layer) VALUES ('attribute_levels'), ('disclosure_settings') ON CONFLICT DO NOTHING;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM layer_versions WHERE layer IN ('attribute_levels', 'disclosure_settings');");

            migrationBuilder.DropTable(
                name: "attribute_levels");

            migrationBuilder.DropTable(
                name: "disclosure_settings");

            migrationBuilder.DropTable(
                name: "sensitivity_changes");
        }
    }
}
