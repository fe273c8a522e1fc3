using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <summary>
    /// settlement_changes.effective_at: the instant a change takes effect in the settlement's history when
    /// that is not the instant the row was written (changed_at): the day a dated survey describes, or the
    /// day an edit says it was observed. Null for every earlier row: they took effect when written.
    /// </summary>
    public partial class SettlementChangeEffectiveAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "effective_at",
                table: "settlement_changes",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "effective_at",
                table: "settlement_changes");
        }
    }
}
