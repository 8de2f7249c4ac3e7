namespace JobQueue.Grains.Adding;

/// <summary>Finds a circle in a graph of job keys given by each key's successors.</summary>
internal static class Cycles
{
    /// <summary>The keys of a cycle reachable from <paramref name="starts"/>, in the order they wait on each other; null if there is none.</summary>
    public static List<string>? Find(IEnumerable<string> starts, Func<string, IEnumerable<string>> next)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in starts)
        {
            if (!done.Add(start))
            {
                continue;
            }

            // Iterative depth-first walk; the path is what is on the stack.
            var path = new List<string> { start };
            var onPath = new HashSet<string>(StringComparer.Ordinal) { start };
            var stack = new Stack<(string Key, IEnumerator<string> Next)>();
            stack.Push((start, next(start).GetEnumerator()));
            while (stack.Count > 0)
            {
                var (key, successors) = stack.Peek();
                if (!successors.MoveNext())
                {
                    stack.Pop();
                    path.RemoveAt(path.Count - 1);
                    onPath.Remove(key);
                    continue;
                }

                var to = successors.Current;
                if (onPath.Contains(to))
                {
                    return [.. path.SkipWhile(k => k != to)];
                }

                if (done.Add(to))
                {
                    stack.Push((to, next(to).GetEnumerator()));
                    path.Add(to);
                    onPath.Add(to);
                }
            }
        }

        return null;
    }
}
