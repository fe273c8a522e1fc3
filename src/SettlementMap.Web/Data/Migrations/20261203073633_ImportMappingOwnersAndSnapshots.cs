using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <summary>
    /// imports.mapping: the mapping a dry run used, kept with the import so its apply writes what the
    /// dry run showed. import_mappings.owner_id: who may change or delete a shared mapping (its
    /// author, or administrators); mappings saved before get the account that last saved them.
    /// </summary>
    public partial class ImportMappingOwnersAndSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "mapping",
                table: "imports",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "owner_id",
                table: "import_mappings",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_import_mappings_owner_id",
                table: "import_mappings",
                column: "owner_id");

            migrationBuilder.AddForeignKey(
                name: "FK_import_mappings_users_owner_id",
                table: "import_mappings",
                column: "owner_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.Sql("UPDATE import_mappings m SET owner_id = u.id FROM users u WHERE u.user_name = m.saved_by;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_import_mappings_users_owner_id",
                table: "import_mappings");

            migrationBuilder.DropIndex(
                name: "IX_import_mappings_owner_id",
                table: "import_mappings");

            migrationBuilder.DropColumn(
                name: "mapping",
                table: "imports");

            migrationBuilder.DropColumn(
                name: "owner_id",
                table: "import_mappings");
        }
    }
}
