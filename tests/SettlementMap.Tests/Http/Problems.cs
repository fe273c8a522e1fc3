using System.Text.Json;

namespace SettlementMap.Tests.Http;

/// <summary>What every refusal must carry: an RFC 7807 body with a title, naming the input at fault where there is one.</summary>
public static class Problems
{
    public const string MediaType = "application/problem+json";

    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, int status, string? field = null, string? fragment = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(MediaType, response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()), text);
        if (field is not null)
        {
            Assert.True(body.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"errors must name '{field}': {text}");
        }
        if (fragment is not null)
        {
            Assert.Contains(fragment, text, StringComparison.Ordinal);
        }
        return body;
    }
}
