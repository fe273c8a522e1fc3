using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Features.Import.Mapping;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Features.Tiles;

namespace SettlementMap.Tests.Settlements;

/// <summary>
/// Every output of a settlement's attributes, read from the running service and the database, is
/// what <see cref="SettlementSchema"/> declares: the names, their order, their labels and lists.
/// </summary>
public sealed class SchemaDriftTests(AppFixture app) : IClassFixture<AppFixture>
{
    // About the schema's names and order in every output, not who sees what: the database is "everything public, generalisation off".
    private readonly AppFixture app = EverythingPublic.Of(app);

    private static string[] Names(Outputs output) => [.. SettlementSchema.In(output).Select(a => a.Name)];

    private static string[] Keys(JsonElement properties) => [.. properties.EnumerateObject().Select(p => p.Name)];

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task The_layer_has_the_schemas_layer_attributes_in_its_order()
    {
        var layer = await GetJsonAsync("/api/layers/settlements?municipality=nis");
        var features = layer.GetProperty("features").EnumerateArray().ToList();
        Assert.NotEmpty(features);
        Assert.All(features, f => Assert.Equal(Names(Outputs.Layer), Keys(f.GetProperty("properties"))));
    }

    [Fact]
    public async Task A_settlement_feature_has_every_attribute_in_schema_order()
    {
        await using var db = app.CreateContext();
        var id = await db.Settlements.OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
        var feature = await GetJsonAsync($"/api/settlements/{id}");
        // GeoJSON carries the id as the feature's own member, not among its properties.
        Assert.Equal(id, feature.GetProperty("id").GetInt64());
        // estimated_inhabitants_below stands in for a hidden estimate in the generalised public view only.
        Assert.Equal([.. SettlementSchema.Attributes.Where(a => !a.GeneralisedViewOnly).Select(a => a.Name).Where(n => n != "id")], Keys(feature.GetProperty("properties")));
    }

    [Fact]
    public async Task The_CSV_and_GeoJSON_exports_have_the_export_columns_in_one_order()
    {
        using var client = app.Factory.CreateClient();
        var csv = Encoding.UTF8.GetString(await client.GetByteArrayAsync(new Uri("/api/export/settlements?format=csv&geometry=none&municipality=nis", UriKind.Relative)));
        var header = csv.TrimStart('\uFEFF').Split("\r\n")[0].Split(',');
        Assert.Equal(Names(Outputs.Export), header);

        var geoJson = await GetJsonAsync("/api/export/settlements?format=geojson&municipality=nis");
        Assert.All(geoJson.GetProperty("features").EnumerateArray(), f => Assert.Equal(Names(Outputs.Export), Keys(f.GetProperty("properties"))));

        var items = await GetJsonAsync("/ogc/collections/settlements/items?f=json&limit=3");
        Assert.All(items.GetProperty("features").EnumerateArray(), f => Assert.Equal(Names(Outputs.Export), Keys(f.GetProperty("properties"))));
    }

    [Fact]
    public async Task The_export_metadata_describes_each_column_with_the_schemas_labels()
    {
        var metadata = await GetJsonAsync("/api/export/settlements?format=metadata");
        var attributes = metadata.GetProperty("attributes").EnumerateArray().ToList();
        Assert.Equal(Names(Outputs.Export), attributes.Select(a => a.GetProperty("name").GetString()));
        foreach (var attribute in attributes)
        {
            var declared = SettlementSchema.Find(attribute.GetProperty("name").GetString()!)!;
            Assert.Equal(declared.Label.Cyrl, attribute.GetProperty("labels").GetProperty("sr-Cyrl").GetString());
            Assert.Equal(declared.Description.En, attribute.GetProperty("description").GetProperty("en").GetString());
        }
    }

    [Fact]
    public async Task The_queryables_are_the_schemas_with_titles_descriptions_and_enums()
    {
        var queryables = await GetJsonAsync("/ogc/collections/settlements/queryables?f=json");
        var properties = queryables.GetProperty("properties");
        Assert.Equal([.. Names(Outputs.Queryables), "geometry"], Keys(properties));
        foreach (var attribute in SettlementSchema.In(Outputs.Queryables))
        {
            var schema = properties.GetProperty(attribute.Name);
            Assert.Equal(attribute.Label.En, schema.GetProperty("title").GetString());
            Assert.Equal(attribute.Label.Latn, schema.GetProperty("x-labels").GetProperty("sr-Latn").GetString());
            Assert.Equal(attribute.Description.En, schema.GetProperty("description").GetString());
            Assert.Equal(attribute.Description.Cyrl, schema.GetProperty("x-descriptions").GetProperty("sr-Cyrl").GetString());
            if (attribute.List is { } list)
            {
                Assert.Equal(list.Texts, schema.GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
                Assert.Equal(list.Values.Select(v => v.Label.En), schema.GetProperty("oneOf").EnumerateArray().Select(v => v.GetProperty("title").GetString()));
            }
            else
            {
                Assert.False(schema.TryGetProperty("enum", out _), attribute.Name);
            }
        }
    }

    [Fact]
    public async Task The_page_config_describes_every_attribute_list_and_group()
    {
        var config = await GetJsonAsync("/api/config");
        var attributes = config.GetProperty("attributes").EnumerateArray().ToList();
        // Everything public and nothing generalised here: every attribute but the generalised view's stand-in.
        var declaredAll = SettlementSchema.Attributes.Where(a => !a.GeneralisedViewOnly).ToList();
        Assert.Equal(declaredAll.Select(a => a.Name), attributes.Select(a => a.GetProperty("name").GetString()));
        foreach (var (declared, served) in declaredAll.Zip(attributes))
        {
            Assert.Equal(declared.Label.Cyrl, served.GetProperty("label").GetProperty("sr-Cyrl").GetString());
            Assert.Equal(declared.Description.Latn, served.GetProperty("description").GetProperty("sr-Latn").GetString());
            Assert.Equal(declared.Editable, served.GetProperty("editable").GetBoolean());
            Assert.Equal(declared.Group.Name, served.GetProperty("group").GetString());
            Assert.Equal(declared.List?.Name, served.GetProperty("list").GetString());
            Assert.Equal(declared.In(Outputs.Details), served.GetProperty("outputs").EnumerateArray().Any(o => o.GetString() == "details"));
        }
        var lists = config.GetProperty("lists");
        foreach (var list in SettlementSchema.ClosedLists)
        {
            Assert.Equal(list.Values.Select(v => (v.Value, v.Label.En)),
                lists.GetProperty(list.Name).EnumerateArray().Select(v => (v.GetProperty("value").GetString()!, v.GetProperty("label").GetProperty("en").GetString()!)));
        }
        Assert.Equal(SettlementSchema.Groups.Select(g => g.Name), config.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Settlement_points_hold_every_tile_attribute_of_the_settlements_table()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'settlement_points'", connection);
        var columns = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }
        var copied = SettlementSchema.In(Outputs.Tile).Where(a => a.IsSettlementsColumn).Select(a => a.Name).ToList();
        Assert.Empty(copied.Except(columns));
        Assert.Empty(SettlementPointColumns.All.Except(columns));
        Assert.Empty(SettlementSql.FilterColumns.Except(SettlementPointColumns.All));
    }

    [Fact]
    public void The_filters_compare_only_the_columns_settlement_points_copies()
    {
        var all = new SettlementFilter(null, "nis", "RS.SE.20", ["network"], ["network"], ["legal"], ["legalised"], ["no"], ["no"], ["no"], 10, 100, null);
        var (where, _) = SettlementSql.Conditions(all);
        var read = System.Text.RegularExpressions.Regex.Matches(where, @"\bs\.(\w+)").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(8, read.Count);
        Assert.Empty(read.Except(SettlementSql.FilterColumns));
    }

    [Theory]
    [InlineData("/tiles/settlements/7/71/46.mvt")]
    [InlineData("/tiles/settlements/12/2297/1499.mvt")]
    public async Task Tiles_carry_the_schemas_tile_attributes(string tile)
    {
        using var client = app.Factory.CreateClient();
        var bytes = await client.GetByteArrayAsync(new Uri(tile, UriKind.Relative));
        // An MVT layer lists each attribute key once as a string; "geom" is the geometry, not a key.
        Assert.All(Names(Outputs.Tile), name => Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(name)) >= 0, $"tile has no key {name}"));
    }

    [Fact]
    public void The_importer_offers_and_recognises_every_editable_attribute_by_its_labels()
    {
        foreach (var attribute in SettlementSchema.Attributes.Where(a => a.Editable))
        {
            Assert.Contains(attribute.Name, ImportTargets.All);
            Assert.Equal(attribute.Name, ColumnMatcher.Recognise(attribute.Name));
            Assert.Equal(attribute.Name, ColumnMatcher.Recognise(attribute.Label.Latn));
            Assert.Equal(attribute.Name, ColumnMatcher.Recognise(attribute.Label.Cyrl));
            Assert.Equal(attribute.Name, ColumnMatcher.Recognise(attribute.Label.En));
        }
    }

    [Fact]
    public void Every_stored_attribute_is_a_column_of_the_model()
    {
        using var db = app.CreateContext();
        var columns = db.Model.FindEntityType(typeof(Web.Data.Settlement))!.GetProperties().Select(p => p.GetColumnName()).ToHashSet(StringComparer.Ordinal);
        const Outputs InSql = Outputs.Layer | Outputs.Tile | Outputs.Export | Outputs.Queryables;
        var stored = SettlementSchema.Attributes.Where(a => a.Editable || ((a.Outputs & InSql) != 0 && a.IsSettlementsColumn)).Select(a => a.Name).ToList();
        Assert.NotEmpty(stored);
        Assert.Empty(stored.Except(columns));
    }
}
