namespace Outpost.Core.Storage;

/// <summary>Selects resources of one type within a subscription, optionally narrowed to a resource group or a parent.</summary>
public sealed record ResourceQuery(string Type, string SubscriptionId, string? ResourceGroup = null, string? ParentId = null);
