namespace Outpost.IotHub.Query;

/// <summary>The tokens of IoT Hub's query language; keywords (SELECT, FROM, WHERE, AND, …) are identifiers the parser recognises.</summary>
internal enum QueryToken
{
    Identifier,
    String,
    Number,
    LeftParenthesis,
    RightParenthesis,
    LeftBracket,
    RightBracket,
    Comma,
    Star,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}
