using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ExportRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "export_records",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    exported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    user_name = table.Column<string>(type: "text", nullable: false),
                    level = table.Column<string>(type: "text", nullable: false),
                    viewer = table.Column<string>(type: "text", nullable: false),
                    format = table.Column<string>(type: "text", nullable: false),
                    crs = table.Column<string>(type: "text", nullable: false),
                    filter = table.Column<string>(type: "text", nullable: false),
                    feature_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_export_records", x => x.id);
                    table.CheckConstraint("ck_export_records_feature_count", "feature_count >= 0");
                    table.CheckConstraint("ck_export_records_filter", "length(filter) <= 2000");
                    table.CheckConstraint("ck_export_records_level", "level IN ('public', 'signed_in', 'administrators')");
                });

            migrationBuilder.CreateIndex(
                name: "IX_export_records_exported_at",
                table: "export_records",
                column: "exported_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "export_records");
        }
    }
}
