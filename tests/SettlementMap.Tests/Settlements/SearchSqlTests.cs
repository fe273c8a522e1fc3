using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Features.Settlements;
using static SettlementMap.Tests.Infrastructure.SqlText;

namespace SettlementMap.Tests.Settlements;

/// <summary>The search's SQL as EF Core and Npgsql write it: a literal LIKE on the search key (wildcards escaped), names that start with it first.</summary>
public sealed class SearchSqlTests
{
    [Fact]
    public void Municipalities_by_search_key_those_starting_with_it_first()
    {
        using var db = Context();
        Assert.Equal("""
            -- @contains='%ni\_s\%%'
            -- @startsWith='ni\_s\%%'
            -- @p='5'
            SELECT m.id, m.code, m.name_latn, m.name_cyrl, ST_Envelope(m.geom)
            FROM municipalities AS m
            WHERE m.search_key LIKE @contains ESCAPE '\'
            ORDER BY CASE
                WHEN m.search_key LIKE @startsWith ESCAPE '\' THEN 0
                ELSE 1
            END, m.name_latn
            LIMIT @p
            """, SearchQueries.Municipalities(db, "ni_s%", 5).ToQueryString());
    }

    [Fact]
    public void Settlements_by_search_key_with_their_municipality()
    {
        using var db = Context();
        Assert.Equal("""
            -- @startsWith='cukarica%'
            -- @contains='%cukarica%'
            -- @p='10'
            SELECT s0.id, s0.code, s0.name_latn, s0.name_cyrl, m.name_latn, m.name_cyrl, ST_Envelope(s0.geom)
            FROM (
                SELECT s.id, s.code, s.geom, s.municipality_id, s.name_cyrl, s.name_latn, CASE
                    WHEN s.search_key LIKE @startsWith ESCAPE '\' THEN 0
                    ELSE 1
                END AS c
                FROM settlements AS s
                WHERE s.search_key LIKE @contains ESCAPE '\'
                ORDER BY CASE
                    WHEN s.search_key LIKE @startsWith ESCAPE '\' THEN 0
                    ELSE 1
                END, s.name_latn, s.id
                LIMIT @p
            ) AS s0
            INNER JOIN municipalities AS m ON s0.municipality_id = m.id
            ORDER BY s0.c, s0.name_latn, s0.id
            """, SearchQueries.Settlements(db, "cukarica", 10).ToQueryString());
    }
}
