using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Outpost.Cli.Output;

/// <summary>A column of table output: its header and the dotted path of the value in each item.</summary>
internal sealed record Column(string Header, string Path);

/// <summary>
/// Prints results as <c>az</c> does: <c>-o json</c> (the default) the JSON as the server returned it, <c>-o table</c>
/// the chosen columns, one row per item (ARM lists' <c>value</c> arrays are unwrapped).
/// </summary>
internal sealed class OutputFormat(TextWriter output, string format)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public TextWriter Writer => output;

    public void Write(JsonNode? result, IReadOnlyList<Column> columns)
    {
        if (result is null)
        {
            return;
        }

        if (format != "table")
        {
            output.WriteLine(result.ToJsonString(Indented));
            return;
        }

        var items = result is JsonObject { } list && list["value"] is JsonArray value ? value : result as JsonArray ?? [result.DeepClone()];
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in columns)
        {
            table.AddColumn(column.Header);
        }

        foreach (var item in items)
        {
            table.AddRow([.. columns.Select(column => Markup.Escape(Text(Find(item, column.Path))))]);
        }

        console.Write(table);
    }

    public static JsonNode? Find(JsonNode? node, string path)
    {
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject container ? container[segment] : null;
        }

        return node;
    }

    private static string Text(JsonNode? value) => value switch
    {
        null => string.Empty,
        JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String => scalar.GetValue<string>(),
        _ => value.ToJsonString(),
    };
}
