using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CoverageAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "coverage_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    coverage_id = table.Column<long>(type: "bigint", nullable: false),
                    municipality_id = table.Column<int>(type: "integer", nullable: false),
                    action = table.Column<string>(type: "text", nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    changed_by = table.Column<string>(type: "text", nullable: false),
                    before = table.Column<string>(type: "jsonb", nullable: true),
                    after = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_coverage_changes", x => x.id);
                    table.CheckConstraint("ck_coverage_changes_action", "action IN ('create', 'update', 'delete', 'restore')");
                });

            migrationBuilder.CreateIndex(
                name: "IX_coverage_changes_municipality_id_changed_at",
                table: "coverage_changes",
                columns: new[] { "municipality_id", "changed_at" });
            // Like settlement_changes: the database itself refuses to change or remove the history.
            migrationBuilder.Sql("""
                CREATE FUNCTION coverage_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'coverage_changes is append-only: % is not allowed', TG_OP
                        USING ERRCODE = 'insufficient_privilege';
                END $$;
                CREATE TRIGGER coverage_changes_append_only
                    BEFORE UPDATE OR DELETE OR TRUNCATE ON coverage_changes
                    FOR EACH STATEMENT EXECUTE FUNCTION coverage_changes_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS coverage_changes_append_only ON coverage_changes; DROP FUNCTION IF EXISTS coverage_changes_append_only();");
            migrationBuilder.DropTable(
                name: "coverage_changes");
        }
    }
}
