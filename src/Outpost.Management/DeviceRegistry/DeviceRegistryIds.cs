namespace Outpost.Management.DeviceRegistry;

/// <summary>ARM ids and types of <c>Microsoft.DeviceRegistry</c> resources.</summary>
internal static class DeviceRegistryIds
{
    public const string Provider = "Microsoft.DeviceRegistry";
    public const string NamespaceType = "Microsoft.DeviceRegistry/namespaces";
    public const string CredentialType = "Microsoft.DeviceRegistry/namespaces/credentials";
    public const string PolicyType = "Microsoft.DeviceRegistry/namespaces/credentials/policies";

    /// <summary>A namespace has one credential, and its name is always this.</summary>
    public const string CredentialName = "default";

    /// <summary>The policy created with a namespace's credential.</summary>
    public const string DefaultPolicyName = "default";

    public static string Namespace(string subscriptionId, string resourceGroup, string namespaceName) =>
        $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/{Provider}/namespaces/{namespaceName}";

    public static string Credential(string namespaceId) => $"{namespaceId}/credentials/{CredentialName}";

    public static string Policy(string credentialId, string policyName) => $"{credentialId}/policies/{policyName}";
}
