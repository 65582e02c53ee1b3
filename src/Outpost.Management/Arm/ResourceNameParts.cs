namespace Outpost.Management.Arm;

/// <summary>A top-level resource's id and the names it is made of.</summary>
internal sealed record ResourceNameParts(string Id, string Name, string SubscriptionId, string ResourceGroup);
