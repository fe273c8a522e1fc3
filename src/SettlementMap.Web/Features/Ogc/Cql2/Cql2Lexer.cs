using System.Globalization;
using System.Text;

namespace SettlementMap.Web.Features.Ogc.Cql2;

internal enum TokenKind { End, Identifier, QuotedIdentifier, String, Number, LeftParen, RightParen, Comma, Operator }

/// <summary>
/// One token: where it starts and ends (exclusive) in the filter, and its text — the name of an
/// identifier, the value of a string (quotes removed, '' undone), a number as written, an operator.
/// </summary>
internal readonly record struct Token(TokenKind Kind, int Start, int End, string Text)
{
    public bool IsKeyword(string keyword) => Kind == TokenKind.Identifier && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Splits CQL2 text into tokens on demand, so errors come in reading order.</summary>
internal sealed class Cql2Lexer
{
    private readonly string _text;
    private int _position;

    public Cql2Lexer(string text)
    {
        _text = text;
        CheckCharacters(text);
    }

    public Token Next()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
        var start = _position;
        if (start >= _text.Length)
        {
            return new Token(TokenKind.End, _text.Length, _text.Length, "");
        }
        var c = _text[start];
        switch (c)
        {
            case '(':
                return Single(TokenKind.LeftParen, "(");
            case ')':
                return Single(TokenKind.RightParen, ")");
            case ',':
                return Single(TokenKind.Comma, ",");
            case '=':
                return Single(TokenKind.Operator, "=");
            case '<':
                return At(start + 1) is '=' or '>' ? Double(TokenKind.Operator) : Single(TokenKind.Operator, "<");
            case '>':
                return At(start + 1) == '=' ? Double(TokenKind.Operator) : Single(TokenKind.Operator, ">");
            case '!' when At(start + 1) == '=':
                throw new Cql2Exception(start, "'!=' is not CQL2; write <> for 'not equal'");
            case '\'':
                return QuotedString();
            case '"':
                return QuotedIdentifier();
        }
        if (IsNumberStart(start))
        {
            return Number();
        }
        if (char.IsLetter(c) || c == '_')
        {
            while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '_'))
            {
                _position++;
            }
            return new Token(TokenKind.Identifier, start, _position, _text[start.._position]);
        }
        throw new Cql2Exception(start, $"unexpected character {Cql2Parser.Quote(c.ToString())}");
    }

    /// <summary>Whether the next character that is not white space is <paramref name="c"/>.</summary>
    public bool NextNonSpaceIs(char c)
    {
        var i = _position;
        while (i < _text.Length && char.IsWhiteSpace(_text[i]))
        {
            i++;
        }
        return i < _text.Length && _text[i] == c;
    }

    /// <summary>NUL and unpaired surrogates cannot travel to PostgreSQL as text; refuse them up front.</summary>
    private static void CheckCharacters(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                throw new Cql2Exception(i, "the filter contains the character U+0000");
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw new Cql2Exception(i, $"the filter contains an unpaired surrogate U+{(int)c:X4}");
            }
        }
    }

    private char At(int index) => index < _text.Length ? _text[index] : '\0';

    private Token Single(TokenKind kind, string text)
    {
        _position++;
        return new Token(kind, _position - 1, _position, text);
    }

    private Token Double(TokenKind kind)
    {
        _position += 2;
        return new Token(kind, _position - 2, _position, _text[(_position - 2).._position]);
    }

    private bool IsNumberStart(int i)
    {
        if (At(i) is '+' or '-')
        {
            i++;
        }
        return char.IsAsciiDigit(At(i)) || (At(i) == '.' && char.IsAsciiDigit(At(i + 1)));
    }

    /// <summary>[sign] digits [. [digits]] | [sign] . digits, then an optional exponent e[sign]digits.</summary>
    private Token Number()
    {
        var start = _position;
        if (At(_position) is '+' or '-')
        {
            _position++;
        }
        SkipDigits();
        if (At(_position) == '.')
        {
            _position++;
            SkipDigits();
        }
        if (At(_position) is 'e' or 'E')
        {
            var exponent = _position + 1;
            if (At(exponent) is '+' or '-')
            {
                exponent++;
            }
            if (!char.IsAsciiDigit(At(exponent)))
            {
                throw new Cql2Exception(_position, $"malformed number {Cql2Parser.Quote(_text[start..Math.Min(_text.Length, exponent + 1)])}: the exponent has no digits");
            }
            _position = exponent;
            SkipDigits();
        }
        if (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] is '_' or '.'))
        {
            throw new Cql2Exception(_position, $"malformed number: {Cql2Parser.Quote(_text[_position].ToString())} cannot follow {Cql2Parser.Quote(_text[start.._position])}");
        }
        return new Token(TokenKind.Number, start, _position, _text[start.._position]);
    }

    private void SkipDigits()
    {
        while (char.IsAsciiDigit(At(_position)))
        {
            _position++;
        }
    }

    /// <summary>'…' with '' standing for one quote.</summary>
    private Token QuotedString() => Quoted('\'', TokenKind.String, "string");

    /// <summary>"…" with "" standing for one double quote.</summary>
    private Token QuotedIdentifier() => Quoted('"', TokenKind.QuotedIdentifier, "property name");

    private Token Quoted(char quote, TokenKind kind, string what)
    {
        var start = _position;
        var value = new StringBuilder();
        var i = start + 1;
        while (true)
        {
            var close = _text.IndexOf(quote, i);
            if (close < 0)
            {
                throw new Cql2Exception(start, $"unclosed {what}: the {quote} at character {start.ToString(CultureInfo.InvariantCulture)} has no closing {quote}");
            }
            value.Append(_text, i, close - i);
            if (At(close + 1) == quote)
            {
                value.Append(quote);
                i = close + 2;
                continue;
            }
            _position = close + 1;
            return new Token(kind, start, _position, value.ToString());
        }
    }
}
