using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <summary>
    /// database_definitions: which version of each function/trigger/view file (Features/*/Sql/*.sql) the
    /// database holds, so <c>Database/DatabaseDefinitions</c> applies after the migrations only the files
    /// that changed (or all of them after a new migration). Only SQL: the model does not change.
    /// </summary>
    [DbContext(typeof(SettlementMapDbContext))]
    [Migration("20261203100000_DatabaseDefinitions")]
    public partial class DatabaseDefinitionsBookkeeping : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE database_definitions (
                    file text PRIMARY KEY,
                    sha256 text NOT NULL,
                    migration text NOT NULL,
                    applied_at timestamptz NOT NULL);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS database_definitions;");
        }
    }
}
