using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.Operation.Valid;
using Npgsql;
using NpgsqlTypes;

namespace SettlementMap.Web.Features.Ogc.Cql2;

/// <summary>
/// Recursive descent over the CQL2 text grammar, writing SQL as it goes:
/// <code>
/// or        = and { OR and }
/// and       = not { AND not }
/// not       = NOT not | primary
/// primary   = ( or ) | S_INTERSECTS ( operand , operand ) | TRUE | FALSE | operand tail
/// tail      = op operand | [NOT] IN ( operand {, operand} ) | [NOT] BETWEEN operand AND operand
///           | [NOT] LIKE 'pattern' | IS [NOT] NULL
/// operand   = property | 'string' | number | TRUE | FALSE | DATE('yyyy-mm-dd') | BBOX(…) | WKT
/// </code>
/// The SQL holds only fixed text of this class, the queryables' SQL expressions and parameter names;
/// every value goes into a parameter.
/// </summary>
internal sealed class Cql2Parser
{
    private const int MaxQuoted = 40;
    private static readonly string[] ReservedWords = ["AND", "OR", "NOT", "IN", "BETWEEN", "LIKE", "IS", "NULL"];
    private static readonly string[] WktTypes = ["POINT", "LINESTRING", "POLYGON", "MULTIPOLYGON"];
    private static readonly string[] UnsupportedWktTypes = ["MULTIPOINT", "MULTILINESTRING", "GEOMETRYCOLLECTION"];
    private static readonly string[] LiteralFunctions = ["DATE", "TIMESTAMP", "INTERVAL", "BBOX", .. WktTypes, .. UnsupportedWktTypes];

    private readonly Cql2Lexer _lexer;
    private readonly IReadOnlyDictionary<string, Cql2Queryable> _queryables;
    private readonly string _prefix;
    private readonly List<NpgsqlParameter> _parameters = [];
    private Token _token;
    private Token _previous;
    private int _depth;
    private int _coordinates;

    public Cql2Parser(string text, IReadOnlyDictionary<string, Cql2Queryable> queryables, string prefix)
    {
        _queryables = queryables;
        _prefix = prefix;
        _lexer = new Cql2Lexer(text);
        _token = _lexer.Next();
    }

    public Cql2Translation Translate()
    {
        var condition = ParseOr();
        if (_token.Kind == TokenKind.RightParen)
        {
            throw Error(_token.Start, "')' has no matching '('");
        }
        if (_token.Kind != TokenKind.End)
        {
            throw Error(_token.Start, $"expected AND, OR or the end of the filter after {Describe(_previous)}, found {Describe(_token)}");
        }
        return new Cql2Translation(condition.Grouped(), _parameters);
    }

    // ---- Boolean structure -------------------------------------------------------------------

    /// <summary>SQL of a condition; <see cref="IsGroup"/> when it is already in parentheses.</summary>
    private readonly record struct Condition(string Sql, bool IsGroup)
    {
        public string Grouped() => IsGroup ? Sql : $"({Sql})";
    }

    private Condition ParseOr() => ParseList("OR", ParseAnd);

    private Condition ParseAnd() => ParseList("AND", ParseNot);

    private Condition ParseList(string keyword, Func<Condition> parseItem)
    {
        var first = parseItem();
        if (!_token.IsKeyword(keyword))
        {
            return first;
        }
        var items = new List<string> { first.Sql };
        while (_token.IsKeyword(keyword))
        {
            Advance();
            items.Add(parseItem().Sql);
        }
        return new Condition($"({string.Join($" {keyword} ", items)})", IsGroup: true);
    }

    private Condition ParseNot()
    {
        if (!_token.IsKeyword("NOT"))
        {
            return ParsePrimary();
        }
        var not = Advance();
        Enter(not);
        var operand = ParseNot();
        _depth--;
        return new Condition($"NOT {operand.Grouped()}", IsGroup: false);
    }

    private Condition ParsePrimary()
    {
        if (_token.Kind == TokenKind.LeftParen)
        {
            var open = Advance();
            Enter(open);
            var inner = ParseOr();
            Expect(TokenKind.RightParen, $"')' to close the '(' at character {Number(open.Start)}");
            _depth--;
            return inner;
        }
        if (_token.Kind == TokenKind.End)
        {
            throw Error(_token.Start, _previous.Kind == TokenKind.End ? "expected a condition" : $"expected a condition after {Describe(_previous)}");
        }
        if (_token.IsKeyword("S_INTERSECTS"))
        {
            return ParseIntersects();
        }
        if (_token.Kind == TokenKind.Identifier && _lexer.NextNonSpaceIs('(')
            && !IsOneOf(_token.Text, LiteralFunctions) && !IsOneOf(_token.Text, ReservedWords) && !IsOneOf(_token.Text, ["TRUE", "FALSE"]))
        {
            throw Error(_token.Start, $"the function {Quote(_token.Text)} is not supported: the only function condition is S_INTERSECTS(geometry, BBOX(…) or WKT)");
        }
        var left = ParseOperand();
        return ParsePredicate(left);
    }

    private void Enter(Token token)
    {
        if (++_depth > Cql2Text.MaxDepth)
        {
            throw Error(token.Start, $"the filter nests deeper than {Cql2Text.MaxDepth} levels of parentheses and NOT");
        }
    }

    // ---- Predicates ----------------------------------------------------------------------------

    private Condition ParsePredicate(Operand left)
    {
        var token = _token;
        if (token.Kind == TokenKind.Operator)
        {
            Advance();
            var right = ParseOperand();
            var type = CheckComparison(left, right);
            return new Condition($"{Emit(left, type)} {token.Text} {Emit(right, type)}", IsGroup: false);
        }
        var negated = false;
        if (token.IsKeyword("NOT"))
        {
            Advance();
            negated = true;
            if (!(_token.IsKeyword("IN") || _token.IsKeyword("BETWEEN") || _token.IsKeyword("LIKE")))
            {
                throw Error(_token.Start, $"expected IN, BETWEEN or LIKE after NOT, found {Describe(_token)}");
            }
        }
        var not = negated ? "NOT " : "";
        if (_token.IsKeyword("IN"))
        {
            var property = RequireProperty(left, "IN");
            RequireNotGeometry(property, "IN");
            Advance();
            Expect(TokenKind.LeftParen, "'(' to start the IN list");
            var items = new List<Operand>();
            do
            {
                if (items.Count == Cql2Text.MaxInItems)
                {
                    throw Error(_token.Start, $"an IN list may hold at most {Cql2Text.MaxInItems} values");
                }
                var item = ParseOperand();
                CheckValue(property, item);
                items.Add(item);
            }
            while (TryAccept(TokenKind.Comma));
            Expect(TokenKind.RightParen, "',' or ')' in the IN list");
            var sql = string.Join(", ", items.Select(i => Emit(i, property.Queryable.Type)));
            return new Condition($"{property.Queryable.SqlExpression} {not}IN ({sql})", IsGroup: false);
        }
        if (_token.IsKeyword("BETWEEN"))
        {
            var property = RequireProperty(left, "BETWEEN");
            if (property.Queryable.Type is not (Cql2Type.Integer or Cql2Type.Number or Cql2Type.Date))
            {
                throw Error(property.Start, $"BETWEEN needs a number or date property; {property.Queryable.Name} is {Describe(property.Queryable.Type)}");
            }
            Advance();
            var low = ParseOperand();
            CheckValue(property, low);
            if (!_token.IsKeyword("AND"))
            {
                throw Error(_token.Start, $"expected AND between the two bounds of BETWEEN, found {Describe(_token)}");
            }
            Advance();
            var high = ParseOperand();
            CheckValue(property, high);
            var type = property.Queryable.Type;
            return new Condition($"{property.Queryable.SqlExpression} {not}BETWEEN {Emit(low, type)} AND {Emit(high, type)}", IsGroup: false);
        }
        if (_token.IsKeyword("LIKE"))
        {
            var property = RequireProperty(left, "LIKE");
            if (property.Queryable.Type != Cql2Type.Text)
            {
                throw Error(property.Start, $"LIKE needs a text property; {property.Queryable.Name} is {Describe(property.Queryable.Type)}");
            }
            Advance();
            if (_token.Kind != TokenKind.String)
            {
                throw Error(_token.Start, $"expected a 'pattern' string after LIKE, found {Describe(_token)}");
            }
            var pattern = Advance();
            CheckLikePattern(pattern);
            return new Condition($"{property.Queryable.SqlExpression} {not}LIKE {Parameter(NpgsqlDbType.Text, pattern.Text)} ESCAPE '\\'", IsGroup: false);
        }
        if (_token.IsKeyword("IS"))
        {
            var property = RequireProperty(left, "IS NULL");
            Advance();
            var isNot = TryAcceptKeyword("NOT");
            if (!_token.IsKeyword("NULL"))
            {
                throw Error(_token.Start, $"expected NULL after {(isNot ? "IS NOT" : "IS")}, found {Describe(_token)}");
            }
            Advance();
            return new Condition($"{property.Queryable.SqlExpression} IS {(isNot ? "NOT " : "")}NULL", IsGroup: false);
        }
        if (left is BooleanLiteral boolean)
        {
            return new Condition(boolean.Value ? "TRUE" : "FALSE", IsGroup: false);
        }
        throw Error(_token.Start, $"expected a comparison (=, <>, <, <=, >, >=), IN, BETWEEN, LIKE or IS NULL after {Describe(_previous)}, found {Describe(_token)}");
    }

    private Condition ParseIntersects()
    {
        var function = Advance();
        Expect(TokenKind.LeftParen, "'(' after S_INTERSECTS");
        var first = ParseOperand();
        Expect(TokenKind.Comma, "',' between the two geometries of S_INTERSECTS");
        var second = ParseOperand();
        Expect(TokenKind.RightParen, "')' to close S_INTERSECTS");
        foreach (var operand in new[] { first, second })
        {
            switch (operand)
            {
                case PropertyOperand { Queryable.Type: not Cql2Type.Geometry } p:
                    throw Error(p.Start, $"S_INTERSECTS needs a geometry property; {p.Queryable.Name} is {Describe(p.Queryable.Type)}");
                case PropertyOperand or GeometryLiteral:
                    break;
                default:
                    throw Error(operand.Start, $"S_INTERSECTS takes geometries (a geometry property, BBOX(…) or a WKT POINT, LINESTRING, POLYGON or MULTIPOLYGON), not {DescribeValue(operand)}");
            }
        }
        if (first is not PropertyOperand && second is not PropertyOperand)
        {
            throw Error(function.Start, "S_INTERSECTS needs a geometry property on one side");
        }
        return new Condition($"ST_Intersects({Emit(first, Cql2Type.Geometry)}, {Emit(second, Cql2Type.Geometry)})", IsGroup: false);
    }

    // ---- Operands ------------------------------------------------------------------------------

    private abstract record Operand(int Start);

    private sealed record PropertyOperand(int Start, Cql2Queryable Queryable) : Operand(Start);

    private sealed record StringLiteral(int Start, string Value) : Operand(Start);

    private sealed record NumberLiteral(int Start, decimal Value) : Operand(Start);

    private sealed record BooleanLiteral(int Start, bool Value) : Operand(Start);

    private sealed record DateLiteral(int Start, DateOnly Value) : Operand(Start);

    private abstract record GeometryLiteral(int Start) : Operand(Start);

    private sealed record BboxLiteral(int Start, double MinX, double MinY, double MaxX, double MaxY) : GeometryLiteral(Start);

    private sealed record WktLiteral(int Start, string Wkt) : GeometryLiteral(Start);

    private Operand ParseOperand()
    {
        var token = _token;
        switch (token.Kind)
        {
            case TokenKind.String:
                Advance();
                return new StringLiteral(token.Start, token.Text);
            case TokenKind.Number:
                Advance();
                return new NumberLiteral(token.Start, ParseDecimal(token));
            case TokenKind.QuotedIdentifier:
                Advance();
                return Property(token);
            case TokenKind.Identifier:
                break;
            case TokenKind.End:
                throw Error(token.Start, $"expected a value or a property after {Describe(_previous)}");
            default:
                throw Error(token.Start, $"expected a value or a property, found {Describe(token)}");
        }
        var word = token.Text.ToUpperInvariant();
        if (word is "TRUE" or "FALSE")
        {
            Advance();
            return new BooleanLiteral(token.Start, word == "TRUE");
        }
        if (word == "NULL")
        {
            throw Error(token.Start, "NULL is not a value to compare with; write property IS NULL or IS NOT NULL");
        }
        if (IsOneOf(word, ReservedWords))
        {
            throw Error(token.Start, $"expected a value or a property, found the keyword {word}");
        }
        if (IsOneOf(word, WktTypes))
        {
            Advance();
            return ParseWkt(token, word);
        }
        if (IsOneOf(word, UnsupportedWktTypes))
        {
            throw Error(token.Start, $"{word} geometries are not supported; use BBOX, POINT, LINESTRING, POLYGON or MULTIPOLYGON");
        }
        if (!_lexer.NextNonSpaceIs('('))
        {
            Advance();
            return Property(token);
        }
        switch (word)
        {
            case "DATE":
                return ParseDate();
            case "BBOX":
                return ParseBbox();
            case "TIMESTAMP":
                throw Error(token.Start, "TIMESTAMP literals are not supported: the queryables hold dates; write DATE('yyyy-mm-dd')");
            case "INTERVAL":
                throw Error(token.Start, "INTERVAL literals are not supported");
            default:
                throw Error(token.Start, $"the function {Quote(token.Text)} is not supported here; values are 'strings', numbers, TRUE, FALSE, DATE('yyyy-mm-dd'), BBOX(…) or WKT");
        }
    }

    private PropertyOperand Property(Token token)
    {
        if (token.Text.Length > 0 && _queryables.TryGetValue(token.Text, out var queryable))
        {
            return new PropertyOperand(token.Start, queryable);
        }
        var names = string.Join(", ", _queryables.Keys.Order(StringComparer.Ordinal));
        return token.Text.Length == 0
            ? throw Error(token.Start, $"empty property name; the queryables are: {names}")
            : throw Error(token.Start, $"unknown property {Quote(token.Text)}; the queryables are: {names}");
    }

    private static decimal ParseDecimal(Token token) =>
        decimal.TryParse(token.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(token.Start, $"the number {Quote(token.Text)} is out of range");

    private DateLiteral ParseDate()
    {
        var date = Advance();
        Expect(TokenKind.LeftParen, "'(' after DATE");
        if (_token.Kind != TokenKind.String)
        {
            throw Error(_token.Start, $"expected a 'yyyy-mm-dd' string in DATE(…), found {Describe(_token)}");
        }
        var text = Advance();
        if (!DateOnly.TryParseExact(text.Text, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            throw Error(text.Start, $"{Quote(text.Text)} is not a date of the form 'yyyy-mm-dd'");
        }
        Expect(TokenKind.RightParen, "')' to close DATE(…)");
        return new DateLiteral(date.Start, value);
    }

    // ---- Geometry literals ---------------------------------------------------------------------

    private BboxLiteral ParseBbox()
    {
        var bbox = Advance();
        Expect(TokenKind.LeftParen, "'(' after BBOX");
        var numbers = new List<(Token Token, double Value)>();
        while (true)
        {
            if (_token.Kind != TokenKind.Number)
            {
                throw Error(_token.Start, $"expected a number in BBOX(minx, miny, maxx, maxy), found {Describe(_token)}");
            }
            if (numbers.Count == 4)
            {
                throw Error(_token.Start, "BBOX takes 4 numbers (minx, miny, maxx, maxy); 3D boxes are not supported");
            }
            var number = Advance();
            numbers.Add((number, ParseDouble(number)));
            if (TryAccept(TokenKind.Comma))
            {
                continue;
            }
            if (_token.Kind == TokenKind.RightParen && numbers.Count < 4)
            {
                throw Error(_token.Start, $"BBOX takes 4 numbers (minx, miny, maxx, maxy), found {numbers.Count}");
            }
            Expect(TokenKind.RightParen, "',' or ')' in BBOX(minx, miny, maxx, maxy)");
            break;
        }
        for (var i = 0; i < 4; i++)
        {
            CheckLonLat(numbers[i].Token, numbers[i].Value, isLatitude: i % 2 == 1);
        }
        if (numbers[0].Value > numbers[2].Value)
        {
            throw Error(numbers[2].Token.Start, "BBOX maxx is less than minx (boxes across the antimeridian are not supported)");
        }
        if (numbers[1].Value > numbers[3].Value)
        {
            throw Error(numbers[3].Token.Start, "BBOX maxy is less than miny");
        }
        return new BboxLiteral(bbox.Start, numbers[0].Value, numbers[1].Value, numbers[2].Value, numbers[3].Value);
    }

    /// <summary>
    /// Reads a WKT literal token by token (so positions and limits hold), writes it anew in
    /// canonical form, and has NetTopologySuite read and validate that text.
    /// </summary>
    private WktLiteral ParseWkt(Token keyword, string type)
    {
        var wkt = new StringBuilder(type);
        if (_token.Kind == TokenKind.Identifier && IsOneOf(_token.Text, ["Z", "M", "ZM"]))
        {
            throw Error(_token.Start, "only 2D coordinates (lon lat) are supported");
        }
        if (TryAcceptKeyword("EMPTY"))
        {
            wkt.Append(" EMPTY");
        }
        else
        {
            wkt.Append(' ');
            switch (type)
            {
                case "POINT":
                    Expect(TokenKind.LeftParen, "'(' to start the POINT");
                    wkt.Append('(');
                    ParsePosition(wkt);
                    Expect(TokenKind.RightParen, "')' to close the POINT (a position is two numbers: lon lat)");
                    wkt.Append(')');
                    break;
                case "LINESTRING":
                    ParsePositions(wkt, type);
                    break;
                case "POLYGON":
                    ParseRings(wkt, type);
                    break;
                default:
                    ParseList(wkt, type, "polygon", () => ParseRings(wkt, type));
                    break;
            }
        }
        var text = wkt.ToString();
        Geometry geometry;
        try
        {
            geometry = new WKTReader().Read(text);
        }
        catch (Exception exception) when (exception is ParseException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw Error(keyword.Start, $"invalid {type}: {exception.Message}");
        }
        var validity = new IsValidOp(geometry);
        if (!validity.IsValid)
        {
            var problem = validity.ValidationError;
            var where = problem.Coordinate is { } c ? $" near ({Number(c.X)} {Number(c.Y)})" : "";
            throw Error(keyword.Start, $"invalid {type}: {problem.Message}{where}");
        }
        return new WktLiteral(keyword.Start, text);
    }

    private void ParseRings(StringBuilder wkt, string type) => ParseList(wkt, type, "ring", () => ParsePositions(wkt, type));

    private void ParsePositions(StringBuilder wkt, string type) => ParseList(wkt, type, "position", () => ParsePosition(wkt));

    /// <summary>( item {, item} ), written to <paramref name="wkt"/>.</summary>
    private void ParseList(StringBuilder wkt, string type, string item, Action parseItem)
    {
        Expect(TokenKind.LeftParen, $"'(' to start a {item} list of the {type}");
        wkt.Append('(');
        parseItem();
        while (TryAccept(TokenKind.Comma))
        {
            wkt.Append(", ");
            parseItem();
        }
        if (item == "position" && _token.Kind == TokenKind.Number)
        {
            throw Error(_token.Start, "a position is two numbers (lon lat); 3D coordinates are not supported");
        }
        Expect(TokenKind.RightParen, $"',' or ')' in the {item} list of the {type}");
        wkt.Append(')');
    }

    private void ParsePosition(StringBuilder wkt)
    {
        if (++_coordinates > Cql2Text.MaxCoordinates)
        {
            throw Error(_token.Start, $"the filter has more than {Cql2Text.MaxCoordinates} coordinates");
        }
        for (var i = 0; i < 2; i++)
        {
            if (_token.Kind != TokenKind.Number)
            {
                throw Error(_token.Start, $"expected a number ({(i == 0 ? "longitude" : "latitude")}) of a position, found {Describe(_token)}");
            }
            var number = Advance();
            var value = ParseDouble(number);
            CheckLonLat(number, value, isLatitude: i == 1);
            wkt.Append(i == 0 ? "" : " ").Append(Number(value));
        }
    }

    private static double ParseDouble(Token token) =>
        double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw Error(token.Start, $"the number {Quote(token.Text)} is out of range");

    private static void CheckLonLat(Token token, double value, bool isLatitude)
    {
        var limit = isLatitude ? 90 : 180;
        if (value < -limit || value > limit)
        {
            throw Error(token.Start, $"{(isLatitude ? "latitude" : "longitude")} {Truncate(token.Text)} is outside -{limit}..{limit} (coordinates are CRS84 lon/lat)");
        }
    }

    // ---- Type checks ---------------------------------------------------------------------------

    private static Cql2Type TypeOf(Operand operand) => operand switch
    {
        PropertyOperand p => p.Queryable.Type,
        StringLiteral => Cql2Type.Text,
        NumberLiteral => Cql2Type.Number,
        BooleanLiteral => Cql2Type.Boolean,
        DateLiteral => Cql2Type.Date,
        _ => Cql2Type.Geometry,
    };

    private static bool Compatible(Cql2Type a, Cql2Type b) =>
        a == b || ((a is Cql2Type.Integer or Cql2Type.Number) && (b is Cql2Type.Integer or Cql2Type.Number));

    /// <summary>The type both sides of a comparison share: the property's (the left one of two properties).</summary>
    private static Cql2Type CheckComparison(Operand left, Operand right)
    {
        if (left is not PropertyOperand && right is not PropertyOperand)
        {
            throw Error(left.Start, "a comparison needs a property on at least one side; comparing two values (such as 1=1) is not allowed");
        }
        foreach (var side in new[] { left, right })
        {
            if (TypeOf(side) == Cql2Type.Geometry)
            {
                throw Error(side.Start, "geometries cannot be compared with =, <>, <, <=, > or >=; use S_INTERSECTS or IS [NOT] NULL");
            }
        }
        var property = left as PropertyOperand ?? (PropertyOperand)right;
        CheckValue(property, ReferenceEquals(property, left) ? right : left);
        return property.Queryable.Type;
    }

    /// <summary>That <paramref name="value"/> (a literal or another property) may be compared with <paramref name="property"/>.</summary>
    private static void CheckValue(PropertyOperand property, Operand value)
    {
        var type = property.Queryable.Type;
        if (value is PropertyOperand other)
        {
            if (!Compatible(type, other.Queryable.Type))
            {
                throw Error(other.Start, $"cannot compare {property.Queryable.Name} ({Describe(type)}) with {other.Queryable.Name} ({Describe(other.Queryable.Type)})");
            }
            return;
        }
        if (!Compatible(type, TypeOf(value)))
        {
            throw Error(value.Start, $"{property.Queryable.Name} is {Describe(type)}: expected {Expected(type)}, found {DescribeValue(value)}");
        }
    }

    private static PropertyOperand RequireProperty(Operand operand, string what) =>
        operand as PropertyOperand ?? throw Error(operand.Start, $"{what} needs a property on its left, not {DescribeValue(operand)}");

    private static void RequireNotGeometry(PropertyOperand property, string what)
    {
        if (property.Queryable.Type == Cql2Type.Geometry)
        {
            throw Error(property.Start, $"{what} does not apply to the geometry {property.Queryable.Name}; use S_INTERSECTS or IS [NOT] NULL");
        }
    }

    /// <summary>CQL2 LIKE: % and _ wildcards, backslash escapes the next character — as SQL LIKE … ESCAPE '\'.</summary>
    private static void CheckLikePattern(Token pattern)
    {
        for (var i = 0; i < pattern.Text.Length; i++)
        {
            if (pattern.Text[i] == '\\' && ++i == pattern.Text.Length)
            {
                throw Error(pattern.Start, "the LIKE pattern ends with the escape character '\\'; write '\\\\' for a backslash");
            }
        }
    }

    // ---- SQL -----------------------------------------------------------------------------------

    /// <summary>The SQL for an operand: a queryable's expression, or parameters typed for <paramref name="type"/>.</summary>
    private string Emit(Operand operand, Cql2Type type) => operand switch
    {
        PropertyOperand p => p.Queryable.SqlExpression,
        StringLiteral s => Parameter(NpgsqlDbType.Text, s.Value),
        NumberLiteral n when type == Cql2Type.Integer && n.Value == decimal.Truncate(n.Value) && n.Value is >= long.MinValue and <= long.MaxValue =>
            Parameter(NpgsqlDbType.Bigint, (long)n.Value),
        NumberLiteral n => Parameter(NpgsqlDbType.Numeric, n.Value),
        BooleanLiteral b => Parameter(NpgsqlDbType.Boolean, b.Value),
        DateLiteral d => Parameter(NpgsqlDbType.Date, d.Value),
        BboxLiteral b =>
            $"ST_MakeEnvelope({Parameter(NpgsqlDbType.Double, b.MinX)}, {Parameter(NpgsqlDbType.Double, b.MinY)}, {Parameter(NpgsqlDbType.Double, b.MaxX)}, {Parameter(NpgsqlDbType.Double, b.MaxY)}, 4326)",
        WktLiteral w => $"ST_GeomFromText({Parameter(NpgsqlDbType.Text, w.Wkt)}, 4326)",
        _ => throw new InvalidOperationException($"Unexpected operand {operand.GetType().Name}."),
    };

    private string Parameter(NpgsqlDbType type, object value)
    {
        var name = _prefix + Number(_parameters.Count);
        _parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        return "@" + name;
    }

    // ---- Tokens and messages -------------------------------------------------------------------

    private Token Advance()
    {
        _previous = _token;
        _token = _lexer.Next();
        return _previous;
    }

    private bool TryAccept(TokenKind kind)
    {
        if (_token.Kind != kind)
        {
            return false;
        }
        Advance();
        return true;
    }

    private bool TryAcceptKeyword(string keyword)
    {
        if (!_token.IsKeyword(keyword))
        {
            return false;
        }
        Advance();
        return true;
    }

    private void Expect(TokenKind kind, string what)
    {
        if (!TryAccept(kind))
        {
            throw Error(_token.Start, $"expected {what}, found {Describe(_token)}");
        }
    }

    private static Cql2Exception Error(int position, string message) => new(position, message);

    private static bool IsOneOf(string word, string[] words) => words.Contains(word, StringComparer.OrdinalIgnoreCase);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Describe(Token token) => token.Kind switch
    {
        TokenKind.End => "the end of the filter",
        TokenKind.String => $"the string {Quote(token.Text)}",
        TokenKind.Number => $"the number {Truncate(token.Text)}",
        TokenKind.Identifier when IsOneOf(token.Text, ReservedWords) => token.Text.ToUpperInvariant(),
        TokenKind.QuotedIdentifier => $"\"{Truncate(token.Text)}\"",
        _ => Quote(token.Text),
    };

    private static string Describe(Cql2Type type) => type switch
    {
        Cql2Type.Text => "text",
        Cql2Type.Integer => "an integer",
        Cql2Type.Number => "a number",
        Cql2Type.Date => "a date",
        Cql2Type.Boolean => "a boolean",
        _ => "a geometry",
    };

    private static string Expected(Cql2Type type) => type switch
    {
        Cql2Type.Text => "a 'string'",
        Cql2Type.Integer or Cql2Type.Number => "a number",
        Cql2Type.Date => "DATE('yyyy-mm-dd')",
        Cql2Type.Boolean => "TRUE or FALSE",
        _ => "a geometry",
    };

    private static string DescribeValue(Operand operand) => operand switch
    {
        PropertyOperand p => $"the property {p.Queryable.Name}",
        StringLiteral => "a string",
        NumberLiteral => "a number",
        BooleanLiteral => "a boolean",
        DateLiteral => "a date",
        _ => "a geometry",
    };

    /// <summary>Text of the request for a message: in quotes, shortened, control characters spelled out.</summary>
    internal static string Quote(string text) => $"'{Truncate(text)}'";

    private static string Truncate(string text)
    {
        var cut = text.Length > MaxQuoted ? MaxQuoted - (char.IsHighSurrogate(text[MaxQuoted - 1]) ? 1 : 0) : text.Length;
        var result = new StringBuilder();
        foreach (var c in text.AsSpan(0, cut))
        {
            if (char.IsControl(c))
            {
                result.Append(CultureInfo.InvariantCulture, $"U+{(int)c:X4}");
            }
            else
            {
                result.Append(c);
            }
        }
        return cut < text.Length ? result.Append('…').ToString() : result.ToString();
    }
}
