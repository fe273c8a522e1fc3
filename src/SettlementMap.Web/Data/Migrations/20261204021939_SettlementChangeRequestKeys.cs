using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SettlementChangeRequestKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "request_key",
                table: "settlement_changes",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_settlement_changes_changed_by_request_key",
                table: "settlement_changes",
                columns: new[] { "changed_by", "request_key" },
                unique: true,
                filter: "request_key IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_settlement_changes_changed_by_request_key",
                table: "settlement_changes");

            migrationBuilder.DropColumn(
                name: "request_key",
                table: "settlement_changes");
        }
    }
}
