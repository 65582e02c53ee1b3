namespace Outpost.Core.Storage;

/// <summary>One certificate the CA issued: appended once, never changed.</summary>
public sealed record IssuanceAuditRecord(
    string SerialNumber,
    string Subject,
    string Thumbprint,
    string PolicyResourceId,
    string Requester,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    DateTimeOffset IssuedAt);
