using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <summary>
    /// The estimated number of residents without personal documents (SettlementSchema). The point tiles
    /// carry it, so settlement_points gets the column too; sync_settlement_point copies it from the schema's
    /// column list, and the definition files are re-applied after this migration.
    /// </summary>
    public partial class ResidentsWithoutDocuments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "residents_without_documents",
                table: "settlements",
                type: "integer",
                nullable: true);

            migrationBuilder.Sql("ALTER TABLE settlement_points ADD COLUMN residents_without_documents integer;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE settlement_points DROP COLUMN residents_without_documents;");
            migrationBuilder.DropColumn(
                name: "residents_without_documents",
                table: "settlements");
        }
    }
}
