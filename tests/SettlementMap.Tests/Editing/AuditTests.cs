using System.Net;
using System.Text.Json;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Editing;

/// <summary>
/// Every write leaves one settlement_changes row (who, when, field-level old and new, both outlines,
/// both snapshots) that the history shows and a restore brings back; a write that changes nothing leaves none.
/// (That the rows cannot be updated or deleted is covered by Data/MigrationTests.)
/// </summary>
public sealed class AuditTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task An_attribute_edit_writes_one_row_with_the_editor_and_the_old_and_new_value()
    {
        var id = await DemoIdAsync(app, "nis", 1);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);
        var old = before.Text("water_supply");
        var value = OtherWaterSupply(old);
        var rowsBefore = await ChangesAsync(app, id);

        using var response = await PatchAsync(client, id, Properties("water_supply", value), before.ETag);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var rows = await ChangesAsync(app, id);
        Assert.Equal(rowsBefore.Count + 1, rows.Count);
        var row = rows[^1];
        Assert.Equal(ChangeAction.Update, row.Action);
        Assert.Equal(CoordinatorNis, row.ChangedBy);
        Assert.InRange(row.ChangedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        var changes = Parse(row.Changes);
        Assert.Equal(["water_supply"], changes.EnumerateObject().Select(p => p.Name));
        Assert.Equal(old, changes.GetProperty("water_supply").GetProperty("old").GetString());
        Assert.Equal(value, changes.GetProperty("water_supply").GetProperty("new").GetString());
        var snapshotBefore = Parse(row.AttributesBefore);
        var snapshotAfter = Parse(row.AttributesAfter);
        Assert.Equal(old, snapshotBefore.GetProperty("water_supply").GetString());
        Assert.Equal(value, snapshotAfter.GetProperty("water_supply").GetString());
        Assert.Equal(before.Text("name_latn"), snapshotAfter.GetProperty("name_latn").GetString());
        Assert.Equal("nis", snapshotAfter.GetProperty("municipality_code").GetString());
        // Only the attribute changed: both outlines are the stored one.
        Assert.True(row.GeomBefore!.EqualsExact(row.GeomAfter));

        var entry = (await HistoryAsync(client, id))[0];
        Assert.Equal(row.Id, entry.GetProperty("id").GetInt64());
        Assert.Equal("update", entry.GetProperty("action").GetString());
        Assert.Equal(CoordinatorNis, entry.GetProperty("changed_by").GetString());
        Assert.False(entry.GetProperty("geometry_changed").GetBoolean());
        Assert.True(entry.GetProperty("restorable").GetBoolean());
        Assert.Equal(value, entry.GetProperty("changes").GetProperty("water_supply").GetProperty("new").GetString());
    }

    [Fact]
    public async Task A_geometry_edit_records_the_outline_before_and_after()
    {
        var id = await DemoIdAsync(app, "nis", 2);
        using var client = await ClientAsync(app, Admin);
        var before = await GetAsync(client, id);
        var stored = (await RowAsync(app, id))!.Geom;

        using var response = await PatchAsync(client, id, WithGeometry(Scaled(before.Geometry, 0.9)), before.ETag);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var now = (await RowAsync(app, id))!.Geom;
        Assert.False(stored.EqualsExact(now));
        var row = (await ChangesAsync(app, id))[^1];
        Assert.Equal(Admin, row.ChangedBy);
        Assert.True(row.GeomBefore!.EqualsExact(stored), "geom_before is the outline stored before the edit");
        Assert.True(row.GeomAfter!.EqualsExact(now), "geom_after is the outline stored after the edit");
        Assert.True(Parse(row.Changes).TryGetProperty("geometry", out _));
        var entry = (await HistoryAsync(client, id))[0];
        Assert.Equal(row.Id, entry.GetProperty("id").GetInt64());
        Assert.True(entry.GetProperty("geometry_changed").GetBoolean());
    }

    [Fact]
    public async Task A_clockwise_outline_is_stored_counter_clockwise_and_valid()
    {
        var id = await DemoIdAsync(app, "nis", 3);
        using var client = await ClientAsync(app, Admin);
        var before = await GetAsync(client, id);
        var centroid = (await RowAsync(app, id))!.Centroid!;
        var square = Square(centroid.Coordinate, 60, clockwise: true);
        Assert.False(square.Shell.IsCCW);

        using var response = await PatchAsync(client, id, WithGeometry(square), before.ETag);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.True(await Sql.ScalarAsync<bool>(app.ConnectionString, Invariant($"SELECT ST_IsPolygonCCW(geom) FROM settlements WHERE id = {id}")));
        Assert.True(await Sql.ScalarAsync<bool>(app.ConnectionString, Invariant($"SELECT ST_IsValid(geom) FROM settlements WHERE id = {id}")));
        // The same square, only turned round.
        Assert.True((await RowAsync(app, id))!.Geom.EqualsTopologically(square));
    }

    [Fact]
    public async Task Creating_a_settlement_writes_a_row_without_a_before_state()
    {
        using var client = await ClientAsync(app, Admin);
        var square = await SquareInsideAsync(app, "nis");

        using var response = await Edits.CreateAsync(client, WithGeometry(square, new Dictionary<string, object?> { ["name_latn"] = "Novo naselje" }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await BodyAsync(response)).GetProperty("id").GetInt64();

        var row = Assert.Single(await ChangesAsync(app, id));
        Assert.Equal(ChangeAction.Create, row.Action);
        Assert.Equal(Admin, row.ChangedBy);
        Assert.Null(row.AttributesBefore);
        Assert.Null(row.GeomBefore);
        Assert.Equal("Novo naselje", Parse(row.AttributesAfter).GetProperty("name_latn").GetString());
        Assert.True(row.GeomAfter!.EqualsExact((await RowAsync(app, id))!.Geom));
        var entry = Assert.Single(await HistoryAsync(client, id));
        Assert.Equal("create", entry.GetProperty("action").GetString());
        Assert.False(entry.GetProperty("restorable").GetBoolean());
    }

    [Fact]
    public async Task Deleting_a_settlement_writes_a_row_without_an_after_state_and_its_history_survives()
    {
        var id = await DemoIdAsync(app, "nis", 4);
        using var client = await ClientAsync(app, Admin);
        var before = await GetAsync(client, id);
        var stored = (await RowAsync(app, id))!.Geom;
        using (var edit = await PatchAsync(client, id, Properties("water_supply", OtherWaterSupply(before.Text("water_supply"))), before.ETag))
        {
            Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        }
        var current = await GetAsync(client, id);

        using var response = await Edits.DeleteAsync(client, id, current.ETag);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        Assert.Null(await RowAsync(app, id));
        var row = (await ChangesAsync(app, id))[^1];
        Assert.Equal(ChangeAction.Delete, row.Action);
        Assert.Null(row.AttributesAfter);
        Assert.Null(row.GeomAfter);
        Assert.Equal(current.Text("name_latn"), Parse(row.AttributesBefore).GetProperty("name_latn").GetString());
        Assert.True(row.GeomBefore!.EqualsExact(stored));
        var history = await HistoryAsync(client, id);
        Assert.Equal(["delete", "update"], history.Take(2).Select(e => e.GetProperty("action").GetString()));
        Assert.True(history[0].GetProperty("restorable").GetBoolean());
    }

    [Fact]
    public async Task Restoring_brings_back_the_old_value_and_outline_as_a_new_restore_row()
    {
        var id = await DemoIdAsync(app, "nis", 5);
        using var client = await ClientAsync(app, Admin);
        var original = await GetAsync(client, id);
        var originalGeometry = (await RowAsync(app, id))!.Geom;
        var properties = new Dictionary<string, object?> { ["water_supply"] = OtherWaterSupply(original.Text("water_supply")) };
        using (var edit = await PatchAsync(client, id, WithGeometry(Scaled(original.Geometry, 0.9), properties), original.ETag))
        {
            Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        }
        var changeId = (await ChangesAsync(app, id))[^1].Id;
        var edited = await GetAsync(client, id);

        using var response = await RestoreAsync(client, id, changeId, edited.ETag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(edited.ETag, response.Headers.ETag?.Tag);
        var row = (await RowAsync(app, id))!;
        Assert.Equal(original.Text("water_supply"), EnumText.ToText(row.WaterSupply));
        Assert.True(row.Geom.EqualsExact(originalGeometry), "the outline is the one before the change");
        var restore = (await ChangesAsync(app, id))[^1];
        Assert.Equal(ChangeAction.Restore, restore.Action);
        Assert.Equal(Admin, restore.ChangedBy);
        Assert.Contains(changeId.ToString(System.Globalization.CultureInfo.InvariantCulture), restore.Note, StringComparison.Ordinal);
        var entry = (await HistoryAsync(client, id))[0];
        Assert.Equal("restore", entry.GetProperty("action").GetString());
        Assert.True(entry.GetProperty("geometry_changed").GetBoolean());
        Assert.Equal(original.Text("water_supply"), entry.GetProperty("changes").GetProperty("water_supply").GetProperty("new").GetString());
    }

    [Fact]
    public async Task Restoring_a_deleted_settlement_brings_it_back_under_its_id()
    {
        var id = await DemoIdAsync(app, "nis", 6);
        using var client = await ClientAsync(app, Admin);
        var original = await GetAsync(client, id);
        var originalGeometry = (await RowAsync(app, id))!.Geom;
        using (var delete = await Edits.DeleteAsync(client, id, original.ETag))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }
        var deleteId = (await ChangesAsync(app, id))[^1].Id;

        using var response = await RestoreAsync(client, id, deleteId, ifMatch: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var restored = await GetAsync(client, id);
        Assert.Equal(HttpStatusCode.OK, restored.Status);
        Assert.Equal(id, restored.Feature.GetProperty("id").GetInt64());
        foreach (var property in new[] { "code", "name_latn", "name_cyrl", "municipality_code", "water_supply", "estimated_inhabitants", "households", "substandard_share_pct", "source", "data_collected_on" })
        {
            Assert.Equal(original.Text(property), restored.Text(property));
        }
        Assert.True((await RowAsync(app, id))!.Geom.EqualsExact(originalGeometry));
        Assert.Equal(["restore", "delete"], (await HistoryAsync(client, id)).Take(2).Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task An_edit_that_changes_nothing_writes_no_row_and_keeps_the_ETag()
    {
        var id = await DemoIdAsync(app, "nis", 7);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);
        var changes = await ChangeCountAsync(app);
        var same = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["properties"] = new Dictionary<string, object?>
            {
                ["water_supply"] = before.Text("water_supply"),
                ["name_latn"] = before.Text("name_latn"),
                ["municipality_code"] = "nis",
            },
            ["geometry"] = before.Geometry,
        });

        using var response = await PatchAsync(client, id, same, before.ETag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before.ETag, response.Headers.ETag?.Tag);
        Assert.Equal(before.ETag, (await GetAsync(client, id)).ETag);
        Assert.Equal(changes, await ChangeCountAsync(app));
    }

    [Fact]
    public async Task An_edit_that_changes_nothing_answers_the_same_Feature_as_GET()
    {
        var id = await DemoIdAsync(app, "nis", 8);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);

        using var response = await PatchAsync(client, id, Properties("water_supply", before.Text("water_supply")), before.ETag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answered = (await BodyAsync(response)).GetProperty("properties");
        foreach (var property in before.Properties.EnumerateObject())
        {
            Assert.True(answered.TryGetProperty(property.Name, out var value), property.Name);
            Assert.True(JsonElement.DeepEquals(property.Value, value), $"{property.Name}: GET {property.Value}, PATCH {value}");
        }
    }
}
