using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProgrammeNamesKeepAcronyms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Programme names loaded before SerbianScript kept acronyms in Latin hold them transliterated
            // letter by letter ("РОМАЦТЕД"); new databases get them right from the loader. The acronyms are
            // SerbianScript's list (ROMACTED, UNDP, UNHCR, UNV), undone here as whole words only.
            migrationBuilder.Sql("""
                UPDATE programmes
                SET name_sr_cyrl = regexp_replace(regexp_replace(regexp_replace(regexp_replace(name_sr_cyrl,
                    '\mРОМАЦТЕД\M', 'ROMACTED', 'g'), '\mУНДП\M', 'UNDP', 'g'), '\mУНХЦР\M', 'UNHCR', 'g'), '\mУНВ\M', 'UNV', 'g')
                WHERE name_sr_cyrl ~ '\m(РОМАЦТЕД|УНДП|УНХЦР|УНВ)\M';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: the names are correct under either version of the code.
        }
    }
}
