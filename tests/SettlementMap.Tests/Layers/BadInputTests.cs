using System.Net;
using System.Text.Json;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Layers;

/// <summary>Bad requests get a 400/404 RFC 7807 problem naming the parameter, never a 500.</summary>
public sealed class BadInputTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("/api/layers/settlements?bbox=20,44,21", "bbox", "four")]
    [InlineData("/api/layers/settlements?bbox=20,44,21,x", "bbox", "not a number")]
    [InlineData("/api/layers/settlements?bbox=20%2C5,44,21,45", "bbox", "four")]
    [InlineData("/api/layers/settlements?bbox=22,44,21,45", "bbox", "minLon is greater")]
    [InlineData("/api/layers/settlements?bbox=20,46,21,45", "bbox", "minLat is greater")]
    [InlineData("/api/layers/settlements?bbox=20,-95,21,45", "bbox", "latitudes")]
    [InlineData("/api/layers/settlements?bbox=", "bbox", "four")]
    [InlineData("/api/layers/settlements?water_supply=river", "water_supply", "allowed: unknown, network, wells, none")]
    [InlineData("/api/layers/settlements?water_supply=", "water_supply", "No value")]
    [InlineData("/api/layers/settlements?sewerage=NETWORK", "sewerage", "allowed")]
    [InlineData("/api/layers/settlements?electricity=legal,stolen", "electricity", "stolen")]
    [InlineData("/api/layers/settlements?legal_status=yes", "legal_status", "not_legalised")]
    [InlineData("/api/layers/settlements?municipality=atlantis", "municipality", "atlantis")]
    [InlineData("/api/layers/settlements?district=RS.SE.99", "district", "RS.SE.99")]
    [InlineData("/api/layers/settlements?zoom=23", "zoom", "0 to 22")]
    [InlineData("/api/layers/settlements?flood_zone=maybe", "flood_zone", "allowed: unknown, yes, no")]
    [InlineData("/api/layers/settlements?min_inhabitants=-5", "min_inhabitants", "whole number")]
    [InlineData("/api/layers/settlements?max_inhabitants=1.5", "max_inhabitants", "whole number")]
    [InlineData("/api/layers/settlements?min_inhabitants=500&max_inhabitants=100", "min_inhabitants", "greater than max_inhabitants")]
    [InlineData("/api/layers/settlements?watr=none", "watr", "Unknown parameter")]
    [InlineData("/api/layers/settlements/summary?theme=colour", "theme", "Unknown theme 'colour'")]
    [InlineData("/api/layers/settlements/summary?theme=estimated_inhabitants", "breaks", "is a number")]
    [InlineData("/api/layers/settlements/summary?theme=estimated_inhabitants&breaks=0,300,100", "breaks", "ascending")]
    [InlineData("/api/layers/settlements/summary?theme=estimated_inhabitants&breaks=0,x", "breaks", "ascending")]
    [InlineData("/api/layers/settlements/summary?theme=water_supply&breaks=0,1", "breaks", "numeric theme only")]
    [InlineData("/api/layers/settlements/summary?zoom=3", "zoom", "Unknown parameter")]
    [InlineData("/api/layers/municipalities?bbox=1,2", "bbox", "four")]
    [InlineData("/api/layers/municipalities?district=nowhere", "district", "nowhere")]
    [InlineData("/api/layers/municipalities?water_supply=none", "water_supply", "Unknown parameter")]
    [InlineData("/api/settlements/abc", "id", "whole number")]
    [InlineData("/api/settlements/-1", "id", "whole number")]
    [InlineData("/api/settlements/99999999999999999999", "id", "whole number")]
    public async Task Invalid_parameters_get_a_400_problem_naming_the_parameter(string url, string parameter, string message)
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        var errors = problem.RootElement.GetProperty("errors").GetProperty(parameter).EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(errors, e => e!.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Several_bad_parameters_are_all_reported_at_once()
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/api/layers/settlements?bbox=x&water_supply=river&zoom=-1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var names = problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["bbox", "water_supply", "zoom"], names);
    }

    [Fact]
    public async Task Unknown_settlement_id_is_a_404_problem()
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/api/settlements/987654321", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("id", problem.RootElement.GetProperty("parameter").GetString());
        Assert.Contains("987654321", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
