using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SettlementMap.Web.Http;

/// <summary>
/// Reads a JSON request body with a size limit that holds on every server (Kestrel and the test
/// host alike), and turns each way it can be wrong into a problem a client can act on.
/// </summary>
public static class JsonBody
{
    /// <summary>A settlement of 200 vertices is about 10 KB; 1 MiB leaves room for detailed outlines.</summary>
    public const int DefaultLimitBytes = 1024 * 1024;

    private static readonly string[] JsonMediaTypes = ["application/json", "application/geo+json", "application/merge-patch+json"];

    // fieldOf: how the endpoint names the field at a JSON path in its own validation problems (the editing
    // API names properties.name_latn "name_latn"), so that a form shows the refusal beside its field.
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken,
        int limitBytes = DefaultLimitBytes, Func<string, string>? fieldOf = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is null || !JsonMediaTypes.Contains(mediaType))
        {
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "Send JSON.",
                $"The body must be {string.Join(", ", JsonMediaTypes)}; got '{request.ContentType ?? "no Content-Type"}'."));
        }
        if (request.ContentLength > limitBytes)
        {
            return (null, TooLarge(limitBytes));
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limitBytes)
            {
                return (null, TooLarge(limitBytes));
            }
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "The request body is empty.", "Send a JSON object."));
        }
        try
        {
            var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                return (null, Problem(StatusCodes.Status400BadRequest, "The body must be a JSON object.", "Send a JSON object."));
            }
            if (TextFlaw(document.RootElement, "") is { } flaw)
            {
                document.Dispose();
                return (null, FieldProblem(fieldOf?.Invoke(flaw.Field) ?? flaw.Field, $"The text at {flaw.Field} {flaw.Flaw.Message}.", flaw.Flaw));
            }
            return (document, null);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return (null, Problem(StatusCodes.Status400BadRequest, "The body is not valid JSON.", $"{FirstSentence(e.Message)}{where}"));
        }
    }

    /// <summary>
    /// Reads and binds a small request object (snake_case members); wrong types and unknown members
    /// are a 400, never an exception.
    /// </summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> BindAsync<T>(HttpRequest request, int limitBytes, CancellationToken cancellationToken)
        where T : class
    {
        var (document, problem) = await ReadAsync(request, cancellationToken, limitBytes);
        if (problem is not null)
        {
            return (null, problem);
        }
        using (document)
        {
            try
            {
                return (document!.RootElement.Deserialize<T>(BindOptions), null);
            }
            catch (JsonException e)
            {
                return (null, Problem(StatusCodes.Status400BadRequest, "The request has a wrong or unknown field.",
                    $"{FirstSentence(e.Message)}{(e.Path is null ? "" : $" (at {e.Path})")}"));
            }
        }
    }

    private static readonly JsonSerializerOptions BindOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>
    /// The first member name or string value that breaks <see cref="InputText"/>, with its path
    /// (e.g. properties.name_latn). A string that is not valid UTF-8 or UTF-16 (raw bytes, an
    /// escaped lone surrogate) makes System.Text.Json throw InvalidOperationException, not
    /// JsonException, when it is read: it is found here, before any handler reads it.
    /// </summary>
    private static (string Field, InputText.TextFlaw Flaw)? TextFlaw(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    if (Text(() => member.Name, out var name) is { } nameFlaw)
                    {
                        return (Join(path, InputText.Printable(name)), nameFlaw with { Message = $"has a member name that {nameFlaw.Message}" });
                    }
                    if (TextFlaw(member.Value, Join(path, name)) is { } flaw)
                    {
                        return flaw;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (TextFlaw(item, $"{path}[{index++}]") is { } flaw)
                    {
                        return flaw;
                    }
                }
                return null;
            case JsonValueKind.String:
                return Text(() => element.GetString()!, out _) is { } valueFlaw ? (path.Length == 0 ? "$" : path, valueFlaw) : null;
            default:
                return null;
        }
    }

    private static InputText.TextFlaw? Text(Func<string> read, out string text)
    {
        try
        {
            text = read();
        }
        catch (InvalidOperationException)
        {
            text = "?";
            return new(InputText.LoneSurrogateRule, "is not valid Unicode (invalid UTF-8, or an escaped lone surrogate such as \\ud800)",
                InputText.BrokenCharacterCode, new Dictionary<string, object?>());
        }
        return InputText.Flaw(text);
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>The problem member that carries, by field, the codes and parameters a page words in its own language.</summary>
    public const string ErrorCodes = "error_codes";

    /// <summary>A 400 whose errors (and rules and error_codes, by key) name the one field that is wrong, as the handlers' validation problems do.</summary>
    private static ProblemHttpResult FieldProblem(string field, string message, InputText.TextFlaw flaw) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request has text that cannot be accepted.", detail: message,
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = new Dictionary<string, string[]> { [field] = [message] },
                ["rules"] = new Dictionary<string, string[]> { [field] = [flaw.Rule] },
                [ErrorCodes] = new Dictionary<string, object[]> { [field] = [new { code = flaw.Code, @params = flaw.Params }] },
            });

    private static ProblemHttpResult TooLarge(int limitBytes) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"At most {limitBytes / 1024} KiB are accepted.");

    public static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    // System.Text.Json appends its own position ("Path: $ | LineNumber: …"); we give ours.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
