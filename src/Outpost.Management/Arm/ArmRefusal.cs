using Outpost.Core.Errors;

namespace Outpost.Management.Arm;

/// <summary>The refusal a request was answered with, kept on the request so the activity log can say why a write failed.</summary>
internal sealed record ArmRefusal(OutpostException Exception);
