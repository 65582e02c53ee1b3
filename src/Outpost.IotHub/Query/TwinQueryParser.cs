using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Outpost.IotHub.ServiceApi;
using Superpower;
using Superpower.Model;
using Superpower.Parsers;
using Superpower.Tokenizers;

namespace Outpost.IotHub.Query;

/// <summary>
/// IoT Hub's device query language, the part that applies to device twins: <c>SELECT * | field, … | COUNT() AS name
/// FROM devices [WHERE condition]</c>, where conditions compare twin paths (<c>deviceId</c>, <c>status</c>,
/// <c>tags.…</c>, <c>properties.desired.…</c>, <c>properties.reported.…</c>) with strings, numbers, booleans and
/// null using <c>= != &lt;&gt; &lt; &lt;= &gt; &gt;=</c>, <c>IN [...]</c> and <c>NIN [...]</c>, combine with
/// AND, OR, NOT and parentheses, and call <c>IS_DEFINED</c>, <c>IS_NULL</c>, <c>STARTSWITH</c> and <c>ENDSWITH</c>.
/// Keywords ignore case; values compare as IoT Hub compares them (strings by ordinal, numbers by value).
/// </summary>
internal static class TwinQueryParser
{
    private static readonly Tokenizer<QueryToken> Tokenizer = new TokenizerBuilder<QueryToken>()
        .Ignore(Span.WhiteSpace)
        .Match(Character.EqualTo('('), QueryToken.LeftParenthesis)
        .Match(Character.EqualTo(')'), QueryToken.RightParenthesis)
        .Match(Character.EqualTo('['), QueryToken.LeftBracket)
        .Match(Character.EqualTo(']'), QueryToken.RightBracket)
        .Match(Character.EqualTo(','), QueryToken.Comma)
        .Match(Character.EqualTo('*'), QueryToken.Star)
        .Match(Span.EqualTo("!="), QueryToken.NotEqual)
        .Match(Span.EqualTo("<>"), QueryToken.NotEqual)
        .Match(Span.EqualTo("<="), QueryToken.LessOrEqual)
        .Match(Span.EqualTo(">="), QueryToken.GreaterOrEqual)
        .Match(Character.EqualTo('<'), QueryToken.Less)
        .Match(Character.EqualTo('>'), QueryToken.Greater)
        .Match(Character.EqualTo('='), QueryToken.Equal)
        .Match(QuotedString.SqlStyle, QueryToken.String)
        .Match(Span.Regex("\"[^\"]*\""), QueryToken.String)
        .Match(Span.Regex("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?"), QueryToken.Number)
        .Match(Span.Regex("[A-Za-z_$][A-Za-z0-9_$.\\-]*"), QueryToken.Identifier)
        .Build();

    private static readonly TokenListParser<QueryToken, Func<JsonObject, JsonNode?>> Literal =
        Token.EqualTo(QueryToken.String).Select(token => Constant(JsonValue.Create(Unquote(token.ToStringValue()))))
            .Or(Token.EqualTo(QueryToken.Number).Select(token => Constant(JsonValue.Create(double.Parse(token.ToStringValue(), CultureInfo.InvariantCulture)))))
            .Or(Keyword("true").Select(_ => Constant(JsonValue.Create(true))))
            .Or(Keyword("false").Select(_ => Constant(JsonValue.Create(false))))
            .Or(Keyword("null").Select(_ => Constant(null)));

    private static readonly TokenListParser<QueryToken, string> Path =
        Token.EqualTo(QueryToken.Identifier).Select(token => token.ToStringValue()).Where(name => !IsKeyword(name), "a twin property path");

    private static readonly TokenListParser<QueryToken, Func<JsonObject, JsonNode?>> Operand =
        Literal.Try().Or(Path.Select(path => (Func<JsonObject, JsonNode?>)(twin => TwinPaths.Find(twin, path))));

    private static readonly TokenListParser<QueryToken, Func<JsonObject, JsonNode?>[]> List =
        Literal.ManyDelimitedBy(Token.EqualTo(QueryToken.Comma)).Between(Token.EqualTo(QueryToken.LeftBracket), Token.EqualTo(QueryToken.RightBracket));

    private static readonly TokenListParser<QueryToken, Func<JsonObject, bool>> Comparison =
        from left in Operand
        from condition in
            Token.EqualTo(QueryToken.Equal).Value(0).Or(Token.EqualTo(QueryToken.NotEqual).Value(1)).Or(Token.EqualTo(QueryToken.Less).Value(2))
                .Or(Token.EqualTo(QueryToken.LessOrEqual).Value(3)).Or(Token.EqualTo(QueryToken.Greater).Value(4)).Or(Token.EqualTo(QueryToken.GreaterOrEqual).Value(5))
                .Then(op => Operand.Select(right => Compare(left, op, right)))
            .Or(Keyword("in").IgnoreThen(List).Select(values => In(left, values, expected: true)))
            .Or(Keyword("nin").IgnoreThen(List).Select(values => In(left, values, expected: false)))
        select condition;

    private static readonly TokenListParser<QueryToken, Func<JsonObject, bool>> Function =
        from name in Token.EqualTo(QueryToken.Identifier).Select(token => token.ToStringValue().ToUpperInvariant())
            .Where(name => name is "IS_DEFINED" or "IS_NULL" or "STARTSWITH" or "ENDSWITH", "a function")
        from open in Token.EqualTo(QueryToken.LeftParenthesis)
        from path in Path
        from argument in Token.EqualTo(QueryToken.Comma).IgnoreThen(Token.EqualTo(QueryToken.String)).Select(token => (string?)Unquote(token.ToStringValue())).OptionalOrDefault()
        from close in Token.EqualTo(QueryToken.RightParenthesis)
        select Call(name, path, argument);

    private static readonly TokenListParser<QueryToken, Func<JsonObject, bool>> Condition = Parse.Ref(() => Disjunction!);

    private static readonly TokenListParser<QueryToken, Func<JsonObject, bool>> Primary =
        Condition.Between(Token.EqualTo(QueryToken.LeftParenthesis), Token.EqualTo(QueryToken.RightParenthesis))
            .Or(Function.Try())
            .Or(Comparison);

    private static readonly TokenListParser<QueryToken, Func<JsonObject, bool>> Negation =
        Keyword("not").IgnoreThen(Parse.Ref(() => Negation!)).Select(inner => (Func<JsonObject, bool>)(twin => !inner(twin))).Try().Or(Primary);

    private static readonly TokenListParser<QueryToken, Func<JsonObject, bool>> Conjunction =
        Parse.Chain(Keyword("and"), Negation, (_, left, right) => twin => left(twin) && right(twin));

    private static readonly TokenListParser<QueryToken, Func<JsonObject, bool>>? Disjunction =
        Parse.Chain(Keyword("or"), Conjunction, (_, left, right) => twin => left(twin) || right(twin));

    private static readonly TokenListParser<QueryToken, Selection> Projection =
        Token.EqualTo(QueryToken.Star).Select(_ => new Selection(null, null))
            .Or(Keyword("count").IgnoreThen(Token.EqualTo(QueryToken.LeftParenthesis)).IgnoreThen(Token.EqualTo(QueryToken.RightParenthesis))
                .IgnoreThen(Keyword("as").IgnoreThen(Path).Select(alias => (string?)alias).OptionalOrDefault())
                .Select(alias => new Selection(null, alias ?? "count")).Try())
            .Or(Path.ManyDelimitedBy(Token.EqualTo(QueryToken.Comma)).Select(fields => new Selection(fields, null)));

    private static readonly TokenListParser<QueryToken, TwinQuery> Query =
        from selectKeyword in Keyword("select")
        from projection in Projection
        from fromKeyword in Keyword("from")
        from collection in Keyword("devices")
        from filter in Keyword("where").IgnoreThen(Condition).OptionalOrDefault(static _ => true)
        select new TwinQuery(projection.Fields, projection.Count, filter);

    private static readonly TokenListParser<QueryToken, TwinQuery> Whole = Query.AtEnd();

    private sealed record Selection(IReadOnlyList<string>? Fields, string? Count);

    public static TwinQuery ParseQuery(string text)
    {
        var tokens = Tokenizer.TryTokenize(text);
        if (!tokens.HasValue)
        {
            throw Invalid(text, tokens.ToString());
        }

        var parsed = Whole.TryParse(tokens.Value);
        return parsed.HasValue ? parsed.Value : throw Invalid(text, parsed.ToString());
    }

    private static HubException Invalid(string text, string reason) =>
        new(HubError.ArgumentInvalid, $"The query \"{text}\" is not valid: {reason}. Outpost serves SELECT * | fields | COUNT() FROM devices [WHERE conditions on deviceId, status, tags and properties].");

    private static TokenListParser<QueryToken, string> Keyword(string keyword) =>
        Token.EqualTo(QueryToken.Identifier).Where(token => token.ToStringValue().Equals(keyword, StringComparison.OrdinalIgnoreCase), keyword.ToUpperInvariant())
            .Select(_ => keyword);

    private static bool IsKeyword(string name) =>
        name.ToUpperInvariant() is "SELECT" or "FROM" or "WHERE" or "AND" or "OR" or "NOT" or "IN" or "NIN" or "AS" or "TRUE" or "FALSE" or "NULL";

    private static Func<JsonObject, JsonNode?> Constant(JsonNode? value) => _ => value;

    private static string Unquote(string quoted) => quoted.Length >= 2 ? quoted[1..^1].Replace("''", "'", StringComparison.Ordinal) : quoted;

    private static Func<JsonObject, bool> Compare(Func<JsonObject, JsonNode?> left, int op, Func<JsonObject, JsonNode?> right) => twin =>
    {
        var order = Order(left(twin), right(twin));
        return op switch
        {
            0 => order == 0,
            1 => order is not null and not 0,
            2 => order < 0,
            3 => order <= 0,
            4 => order > 0,
            _ => order >= 0,
        };
    };

    private static Func<JsonObject, bool> In(Func<JsonObject, JsonNode?> left, Func<JsonObject, JsonNode?>[] values, bool expected) => twin =>
    {
        var value = left(twin);
        return values.Any(candidate => Order(value, candidate(twin)) == 0) == expected;
    };

    /// <summary>How two values order, or null when they cannot be compared (different kinds, objects, a missing property).</summary>
    private static int? Order(JsonNode? left, JsonNode? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null ? 0 : null;
        }

        if (left is not JsonValue a || right is not JsonValue b || a.GetValueKind() != b.GetValueKind() && !(IsBoolean(a) && IsBoolean(b)))
        {
            return null;
        }

        return a.GetValueKind() switch
        {
            JsonValueKind.Number => a.GetValue<double>().CompareTo(b.GetValue<double>()),
            JsonValueKind.String => string.CompareOrdinal(a.GetValue<string>(), b.GetValue<string>()),
            _ => a.GetValue<bool>().CompareTo(b.GetValue<bool>()),
        };
    }

    private static bool IsBoolean(JsonValue value) => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False;

    private static Func<JsonObject, bool> Call(string name, string path, string? argument) => twin =>
    {
        var value = TwinPaths.Find(twin, path, out var defined);
        var text = value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String ? scalar.GetValue<string>() : null;
        return name switch
        {
            "IS_DEFINED" => defined,
            "IS_NULL" => defined && value is null,
            "STARTSWITH" => text is not null && argument is not null && text.StartsWith(argument, StringComparison.Ordinal),
            _ => text is not null && argument is not null && text.EndsWith(argument, StringComparison.Ordinal),
        };
    };
}
