namespace Outpost.Management.ActivityLog;

/// <summary>Section <c>Outpost:ActivityLog</c>: how long management operations stay in the activity log and how many a page holds.</summary>
public sealed class ActivityLogOptions
{
    public const string SectionName = "Outpost:ActivityLog";

    /// <summary>Days an entry is kept; Azure keeps its activity log for 90.</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>Entries per page before a <c>nextLink</c>.</summary>
    public int PageSize { get; set; } = 200;
}
