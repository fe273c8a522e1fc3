using System.Net;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using Npgsql;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.History;

/// <summary>
/// The point pyramid through time (settlement_point_winners, which unfiltered point tiles as of an instant read):
/// after the demo's history, and after dated edits through the real editing API and a past survey put into
/// history, it agrees with the point tiles' rule worked out from scratch at every instant history changes
/// (<see cref="Sql.PointHistoryOutOfStep"/>). The tiles that read it: CachingAndTilesTests.
/// </summary>
public sealed class PointHistoryTests(AppFixture app) : IClassFixture<AppFixture>
{
    private Task<long> OutOfStepAsync() => Sql.ScalarAsync<long>(app.ConnectionString, Sql.PointHistoryOutOfStep);

    private static Polygon Moved(Geometry outline, double dx) => (Polygon)new AffineTransformation().Translate(dx, 0).Transform(outline);

    private static async Task PatchAsync(DatedEdits edits, DateTimeOffset at, long id, Dictionary<string, object?> properties, Geometry? outline = null)
    {
        using var response = await edits.PatchAsync(at, id, properties, outline);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_demo_history_is_in_the_pyramid_through_time()
    {
        Assert.True(await Sql.ScalarAsync<long>(app.ConnectionString, "SELECT count(*) FROM settlement_point_winners WHERE zoom = 11") > 0);
        Assert.Equal(0L, await OutOfStepAsync());
    }

    [Fact]
    public async Task Dated_edits_and_a_past_survey_keep_it_in_step()
    {
        var start = new DateTimeOffset(2011, 3, 1, 10, 0, 0, TimeSpan.Zero);
        await using var edits = await DatedEdits.StartAsync(app, start);
        // Three squares of about 30 m, 50 m apart in a free spot: in one cell up to zoom 11 or so, so they compete for it.
        var squares = await AsOfReplayTests.OutlinesAsync(app, 2);
        Geometry Small(Polygon square) => AffineTransformation.ScaleInstance(0.3, 0.3, square.Centroid.X, square.Centroid.Y).Transform(square);
        var outline = Small(squares[0]);
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await edits.CreateAsync(start.AddDays(i), Moved(outline, 0.0006 * i), $"Piramida {i}", "wells", 100 + (100 * i)));
        }
        Assert.Equal(0L, await OutOfStepAsync());
        // Before the demo's history begins (2016), ours are the only settlements: the largest wins the world's cell.
        Task<long> WinsAsync(long id, int days) => Sql.ScalarAsync<long>(app.ConnectionString,
            $"SELECT count(*) FROM settlement_point_winners WHERE id = {id} AND zoom = 0 AND valid @> '{start.AddDays(days):O}'::timestamptz");
        Assert.Equal(1L, await WinsAsync(ids[2], 50));

        // The smallest becomes the largest, the middle one moves to another free spot (at least 400 m away) and a
        // later change of the largest leaves a period a survey can be put into.
        await PatchAsync(edits, start.AddDays(40), ids[0], new() { ["estimated_inhabitants"] = 5000 });
        await PatchAsync(edits, start.AddDays(80), ids[1], new() { ["estimated_inhabitants"] = 250 }, Small(squares[1]));
        await PatchAsync(edits, start.AddDays(100), ids[2], new() { ["water_supply"] = "network" });
        Assert.Equal(0L, await OutOfStepAsync());
        Assert.Equal(1L, await WinsAsync(ids[0], 50));

        // A survey of day 60 says the third had 9,000 inhabitants then: it wins its cells from day 60 to day 100.
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var survey = new NpgsqlCommand("SELECT insert_settlement_version(@id, @at, '{\"estimated_inhabitants\": 9000}'::jsonb)", connection);
            survey.Parameters.AddWithValue("id", ids[2]);
            survey.Parameters.AddWithValue("at", start.AddDays(60));
            await survey.ExecuteNonQueryAsync();
        }
        Assert.Equal(0L, await OutOfStepAsync());
        Assert.Equal(1L, await WinsAsync(ids[2], 70));
        Assert.Equal(1L, await WinsAsync(ids[0], 50));
        Assert.Equal(1L, await WinsAsync(ids[0], 110));

        // Deleted: its cells have another winner from then on, and it still wins them before.
        await edits.DeleteAsync(start.AddDays(120), ids[0]);
        Assert.Equal(0L, await OutOfStepAsync());
        Assert.Equal(1L, await WinsAsync(ids[0], 110));
        Assert.Equal(1L, await WinsAsync(ids[2], 130));
    }
}
