using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <summary>
    /// sign_in_throttle: failed sign-ins counted in PostgreSQL, so every instance of the app shares them
    /// and concurrent attempts are counted one after another (Features/Editing/Sql/sign_in_throttle.sql,
    /// used by <c>SignInThrottle</c>). Only SQL: the model does not change.
    /// </summary>
    [DbContext(typeof(SettlementMapDbContext))]
    [Migration("20261203080000_SignInThrottle")]
    public partial class SignInThrottle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(EmbeddedSql.Read("sign_in_throttle.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION IF EXISTS sign_in_release(text[], text);
                DROP FUNCTION IF EXISTS sign_in_attempt(text[], float8[], float8[], float8[], float8, timestamptz);
                DROP FUNCTION IF EXISTS sign_in_delay(float8, float8, float8, float8);
                DROP FUNCTION IF EXISTS sign_in_decayed(float8, timestamptz, timestamptz, float8);
                DROP TABLE IF EXISTS sign_in_throttle;
                """);
        }
    }
}
