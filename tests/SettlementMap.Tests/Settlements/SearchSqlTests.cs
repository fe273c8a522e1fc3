using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Features.Settlements;
using static SettlementMap.Tests.Infrastructure.SqlText;

namespace SettlementMap.Tests.Settlements;

/// <summary>
/// The search's SQL as EF Core and Npgsql write it: one ordered list of municipalities and settlements,
/// a literal LIKE on the search key (wildcards escaped), every value a parameter, paged by OFFSET/LIMIT.
/// </summary>
public sealed class SearchSqlTests
{
    [Fact]
    public void Municipalities_and_settlements_in_one_ordered_page_every_value_a_parameter()
    {
        using var db = Context();
        var terms = new SearchTerms("stanica ni_s%", "stanica", [7, 8], []);
        Assert.Equal("""
            -- @own={ '8' } (DbType = Object)
            -- @key='stanica ni_s%'
            -- @startsWith='stanica ni\_s\%%'
            -- @contains='%stanica ni\_s\%%'
            -- @place={ '7', '8' } (DbType = Object)
            -- @nameKey='stanica'
            -- @nameStartsWith='stanica%'
            -- @nameContains='%stanica%'
            -- @p21='10'
            -- @p='20'
            SELECT u."Kind", u."Id", u."Code", u."NameLatn", u."NameCyrl", u."MunicipalityLatn", u."MunicipalityCyrl", u."Envelope", u."Own", u."Exact", u."Prefix"
            FROM (
                SELECT 0 AS "Kind", m.id::bigint AS "Id", m.code AS "Code", m.name_latn AS "NameLatn", m.name_cyrl AS "NameCyrl", m.name_latn AS "MunicipalityLatn", m.name_cyrl AS "MunicipalityCyrl", ST_Envelope(m.geom) AS "Envelope", CASE
                    WHEN m.id = ANY (@own) THEN 0
                    ELSE 1
                END AS "Own", CASE
                    WHEN m.search_key = @key THEN 0
                    ELSE 1
                END AS "Exact", CASE
                    WHEN m.search_key LIKE @startsWith ESCAPE '\' THEN 0
                    ELSE 1
                END AS "Prefix"
                FROM municipalities AS m
                WHERE m.search_key LIKE @contains ESCAPE '\'
                UNION ALL
                SELECT 1 AS "Kind", s.id AS "Id", s.code AS "Code", s.name_latn AS "NameLatn", s.name_cyrl AS "NameCyrl", m0.name_latn AS "MunicipalityLatn", m0.name_cyrl AS "MunicipalityCyrl", ST_Envelope(s.geom) AS "Envelope", CASE
                    WHEN s.municipality_id = ANY (@own) THEN 0
                    ELSE 1
                END AS "Own", CASE
                    WHEN s.search_key = @key OR (s.municipality_id = ANY (@place) AND s.search_key = @nameKey) THEN 0
                    ELSE 1
                END AS "Exact", CASE
                    WHEN s.search_key LIKE @startsWith ESCAPE '\' OR (s.municipality_id = ANY (@place) AND s.search_key LIKE @nameStartsWith ESCAPE '\') THEN 0
                    ELSE 1
                END AS "Prefix"
                FROM settlements AS s
                INNER JOIN municipalities AS m0 ON s.municipality_id = m0.id
                WHERE s.search_key LIKE @contains ESCAPE '\' OR (s.municipality_id = ANY (@place) AND s.search_key LIKE @nameContains ESCAPE '\')
            ) AS u
            ORDER BY u."Exact", u."Kind", u."Own", u."Prefix", u."NameLatn", u."MunicipalityLatn", u."Id"
            LIMIT @p21 OFFSET @p
            """, SearchQueries.Matches(db, terms, [8]).Skip(20).Take(10).ToQueryString());
    }
}
