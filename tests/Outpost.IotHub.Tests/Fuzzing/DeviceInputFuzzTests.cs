using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Outpost.Core.SharedAccess;
using Outpost.IotHub.DeviceMqtt;
using Outpost.IotHub.Devices;
using Outpost.IotHub.Query;
using Outpost.IotHub.ServiceApi;
using Outpost.IotHub.Telemetry;
using Outpost.IotHub.Twins;

namespace Outpost.IotHub.Tests.Fuzzing;

/// <summary>
/// What devices and service callers send, under hostile input: CsCheck generates strings full of MQTT wildcards,
/// separators, percent escapes, NUL, unpaired surrogates and non-ASCII, and JSON of any shape and depth. Parsers must
/// answer or refuse with IoT Hub's error, never throw anything else. Bounded here; <c>OUTPOST_FUZZ_ITERATIONS</c>
/// sets a longer run.
/// </summary>
public sealed class DeviceInputFuzzTests
{
    private static readonly long Iterations = long.TryParse(Environment.GetEnvironmentVariable("OUTPOST_FUZZ_ITERATIONS"), out var configured) ? configured : 20_000;

    private static readonly Gen<string> Hostile = Gen.String[Gen.Frequency(
        (4, Gen.Char["+#/?&=%$.\\ \0\u00e9\ud800\udc00~'\"{}[]:,"]),
        (4, Gen.Char.AlphaNumeric),
        (1, Gen.Char)), 0, 60];

    [Fact]
    public void UserNamesTopicsAndPropertyBagsNeverThrow() =>
        Hostile.Sample(text =>
        {
            var user = HubMqttUser.Parse(text);
            Assert.True(user is null || user.DeviceId.Length > 0);
            PropertyBag.Parse(text);
            DeviceTopics.Query(text);
        }, iter: Iterations);

    /// <summary>Text a property bag can carry: any valid Unicode (a lone surrogate has no UTF-8 form to percent-encode).</summary>
    private static readonly Gen<string> Carried = Gen.String[Gen.Frequency(
        (4, Gen.Char["+#/?&=%$.\\ \0\u00e9~'\"{}[]:,"]),
        (4, Gen.Char.AlphaNumeric)), 0, 40];

    [Fact]
    public void PropertyBagsRoundTripWhateverTheirContent() =>
        Gen.Select(Carried.Where(key => key.Length > 0), Carried.Null()).List[0, 6].Sample(pairs =>
        {
            var bag = pairs.Select(pair => new KeyValuePair<string, string?>(pair.Item1, pair.Item2)).ToList();
            var parsed = PropertyBag.Parse(PropertyBag.Format(bag));
            Assert.Equal(bag.Select(pair => (pair.Key, pair.Value)), parsed.Select(pair => (pair.Key, pair.Value)));
        }, iter: Iterations / 4);

    [Fact]
    public void DeviceIdsAreAcceptedOnlyWhenSafeInTopics() =>
        Hostile.Sample(text =>
        {
            try
            {
                var id = DeviceIds.Require(text);
                Assert.DoesNotContain(id, character => character is '+' or '#' or '/' or '\0' || character > 127);
            }
            catch (HubException exception)
            {
                Assert.Equal(HubError.ArgumentInvalid, exception.Error);
            }
        }, iter: Iterations);

    [Fact]
    public void SasTokensNeverThrow() =>
        Gen.Select(Hostile, Hostile, Hostile).Sample(parts =>
        {
            var header = $"SharedAccessSignature sr={parts.Item1}&sig={parts.Item2}&se={parts.Item3.Length}&skn={parts.Item3}";
            foreach (var candidate in (string[])[header, parts.Item1, "SharedAccessSignature " + parts.Item2])
            {
                if (SharedAccessSignature.TryParse(candidate, out var token) && token is not null)
                {
                    token.IsSignedWith(parts.Item3);
                    token.IsSignedWith(Convert.ToBase64String(Encoding.UTF8.GetBytes(parts.Item3)));
                    token.Covers(parts.Item2);
                }
            }
        }, iter: Iterations);

    [Fact]
    public void QueriesAreAnsweredOrRefusedWithIotHubsError() =>
        Gen.OneOf(Hostile, Hostile.Select(condition => $"SELECT * FROM devices WHERE {condition}")).Sample(text =>
        {
            try
            {
                TwinQueryParser.ParseQuery(text).Matches(new JsonObject { ["deviceId"] = "d", ["tags"] = new JsonObject { ["a"] = 1 } });
            }
            catch (HubException exception)
            {
                Assert.Equal(HubError.ArgumentInvalid, exception.Error);
            }
        }, iter: Iterations);

    [Fact]
    public void ReportedPatchesOfAnyShapeAreMergedOrRefused()
    {
        var json = Gen.String[Gen.Char["{}[]\":,0123456789abn$. \\tru\u00e9"], 0, 80];
        var nested = Gen.Int[1, 200].Select(depth => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth));
        Gen.OneOf(json, nested).Sample(text =>
        {
            JsonNode? patch;
            try
            {
                patch = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                return;
            }

            try
            {
                TwinDocument.PatchReported(new DeviceRecord("/hub/devices/d", new JsonObject { ["deviceId"] = "d", ["twin"] = TwinDocument.Empty() }, 1), patch);
            }
            catch (HubException exception)
            {
                Assert.Equal(HubError.ArgumentInvalid, exception.Error);
            }
        }, iter: Iterations / 4);
    }
}
