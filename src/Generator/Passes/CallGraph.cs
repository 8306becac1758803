using System.Collections.Generic;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Passes
{
    /// <summary>What the call graph needs to know about one method: whether it has errors, and whom it calls.</summary>
    internal sealed record CallSummary(string Key, bool Broken, EquatableArray<string> Callees)
    {
        public static CallSummary Of(MethodModel model)
        {
            var callees = new List<string>();
            if (model.Program is { } program)
            {
                foreach (int i in Pipeline.ActiveCalls(program))
                {
                    callees.Add(program.Calls[i].Key);
                }
            }

            return new CallSummary(model.Key, model.HasErrors || model.Program is null || (model.Modes & 1) == 0, callees.ToEquatableArray());
        }
    }

    /// <summary>
    /// The differentiable methods that get no generated pullback: those with errors or without DiffModes.Reverse, and, transitively, those that call
    /// one of them (they would call a pullback that does not exist). Each caller reports DG0019 at such a call.
    /// </summary>
    internal static class CallGraph
    {
        public static EquatableArray<string> BrokenMethods(IEnumerable<CallSummary> summaries)
        {
            var broken = new HashSet<string>();
            var all = new List<CallSummary>(summaries);
            foreach (var s in all)
            {
                if (s.Broken)
                {
                    broken.Add(s.Key);
                }
            }

            bool changed = true;
            while (changed)
            {
                changed = false;
                foreach (var s in all)
                {
                    if (broken.Contains(s.Key))
                    {
                        continue;
                    }

                    foreach (string callee in s.Callees)
                    {
                        if (broken.Contains(callee))
                        {
                            broken.Add(s.Key);
                            changed = true;
                            break;
                        }
                    }
                }
            }

            // Sorted, so the set compares equal across runs whatever order the methods come in.
            var sorted = new List<string>(broken);
            sorted.Sort(System.StringComparer.Ordinal);
            return sorted.ToEquatableArray();
        }
    }
}
