using System.Globalization;
using System.Text;
using System.Text.Json;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// Utf8JsonReader over a stream, a buffer at a time, so a file of any size is walked in constant
/// memory; one value (a feature) at a time can be taken whole as a JsonDocument, growing the
/// buffer to hold it up to a limit.
/// </summary>
internal sealed class JsonChunkReader(Stream stream, int maxValueBytes, bool validateUtf8)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _final;
    private bool _begun;
    private JsonReaderState _state;
    private readonly Decoder? _utf8 = validateUtf8 ? TextEncodings.StrictUtf8.GetDecoder() : null;

    public JsonTokenType TokenType { get; private set; }

    /// <summary>The depth of the token last read: 0 for the root's braces, 1 for its members.</summary>
    public int Depth { get; private set; }

    /// <summary>The text of the last property name or string token.</summary>
    public string? Text { get; private set; }

    /// <summary>Reads the next token; false at the end of the input.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryRead())
            {
                return true;
            }

            if (_final)
            {
                return false;
            }

            await FillAsync(cancellationToken);
        }
    }

    /// <summary>Skips the value that follows (a property's value, an array element), however large, without holding it.</summary>
    public async ValueTask SkipValueAsync(CancellationToken cancellationToken)
    {
        if (!await ReadAsync(cancellationToken))
        {
            throw Truncated();
        }

        if (TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            var depth = Depth;
            while (await ReadAsync(cancellationToken))
            {
                if (TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && Depth == depth)
                {
                    return;
                }
            }

            throw Truncated();
        }
    }

    /// <summary>
    /// The value that follows, whole; null when the next token closes the enclosing array or object
    /// (which is consumed).
    /// </summary>
    public async ValueTask<JsonDocument?> ReadValueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            switch (TryReadValue(out var document))
            {
                case true:
                    return document;
                case false:
                    return null;
            }

            if (_final)
            {
                throw Truncated();
            }

            await FillAsync(cancellationToken);
        }
    }

    private bool TryRead()
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        if (!reader.Read())
        {
            return false;
        }

        Capture(ref reader);
        Commit(ref reader);
        return true;
    }

    /// <summary>True with the document, false at a closing token, null when more input is needed.</summary>
    private bool? TryReadValue(out JsonDocument? document)
    {
        document = null;
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        if (!reader.Read())
        {
            return null;
        }

        if (reader.TokenType is JsonTokenType.EndArray or JsonTokenType.EndObject)
        {
            Capture(ref reader);
            Commit(ref reader);
            return false;
        }

        var probe = reader;
        if (!probe.TrySkip())
        {
            return null;
        }

        document = JsonDocument.ParseValue(ref reader);
        TokenType = reader.TokenType;
        Depth = reader.CurrentDepth;
        Text = null;
        Commit(ref reader);
        return true;
    }

    private void Capture(ref Utf8JsonReader reader)
    {
        TokenType = reader.TokenType;
        Depth = reader.CurrentDepth;
        Text = reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String ? JsonStrings.Get(ref reader) : null;
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= maxValueBytes)
            {
                throw new ImportFileException(
                    $"One feature of the file is larger than {(maxValueBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture)} MB, more than we read at once. Simplify that geometry or split the file.");
            }

            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, maxValueBytes));
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (!_begun)
        {
            _begun = true;
            if (read >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
            {
                _start = 3; // a UTF-8 byte-order mark, which JSON readers refuse
                _utf8?.GetCharCount(_buffer, 3, read - 3, flush: false);
                _end += read;
                return;
            }
        }

        _utf8?.GetCharCount(_buffer, _end, read, flush: read == 0);
        _end += read;
        _final = read == 0;
    }

    private static ImportFileException Truncated() =>
        new("The GeoJSON file ends in the middle of its data: it was cut off. Export or upload it again.");
}
