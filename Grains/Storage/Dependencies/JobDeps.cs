namespace JobQueue.Grains.Storage.Dependencies;

/// <summary>A new job's dependencies: the groups it belongs to, and what it waits on ("g:group" and "k:key" targets).</summary>
public sealed record JobDeps(IReadOnlyList<string> DepGroups, IReadOnlyList<string> Targets);
