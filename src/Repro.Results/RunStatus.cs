using System.Text.Json.Serialization;

namespace Repro.Results;

/// <summary>How one experiment × seed ended, as <c>run.json</c> stores it (<c>"ok"</c>, <c>"diverged"</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    /// <summary>Trained (if it trains) and sampled every reconstruction: it has metrics.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>The loss or a sampler's particles became non-finite or left their bound: no metrics.</summary>
    [JsonStringEnumMemberName("diverged")]
    Diverged,
}
