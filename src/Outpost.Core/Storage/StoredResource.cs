namespace Outpost.Core.Storage;

/// <summary>
/// One ARM resource as the store keeps it: its canonical id, its type, where it sits (for list operations) and its
/// public JSON representation. Secrets never live in <see cref="Body"/>; they have their own tables.
/// </summary>
/// <param name="Id">The ARM resource id with the casing it was created with; look-ups ignore case, as ARM does.</param>
/// <param name="Type">The ARM type, e.g. <c>Microsoft.DeviceRegistry/namespaces</c>.</param>
/// <param name="SubscriptionId">The subscription the resource lives in.</param>
/// <param name="ResourceGroup">The resource group name, or null for subscription-level resources.</param>
/// <param name="ParentId">The id of the parent resource for child resources, or null for top-level ones.</param>
/// <param name="Body">The JSON returned to clients for a GET.</param>
/// <param name="Version">Grows by one on every write; the store's optimistic concurrency check compares it.</param>
public sealed record StoredResource(
    string Id,
    string Type,
    string SubscriptionId,
    string? ResourceGroup,
    string? ParentId,
    string Body,
    long Version = 0);
