using System;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Passes
{
    /// <summary>Visits every statement of a program, depth first, in program order.</summary>
    internal static class StatementWalker
    {
        public static void Walk(EquatableArray<IrStatement> block, Action<IrStatement> visit)
        {
            foreach (var statement in block)
            {
                visit(statement);
                Walk(statement.Body, visit);
                Walk(statement.Else, visit);
            }
        }

        /// <summary>Rebuilds a block bottom-up, letting <paramref name="rewrite"/> replace or drop (null) each statement.</summary>
        public static EquatableArray<IrStatement> Rewrite(EquatableArray<IrStatement> block, Func<IrStatement, IrStatement?> rewrite)
        {
            var result = new System.Collections.Generic.List<IrStatement>(block.Count);
            foreach (var statement in block)
            {
                var s = statement;
                if (s.Body.Count > 0 || s.Else.Count > 0)
                {
                    s = s with { Body = Rewrite(s.Body, rewrite), Else = Rewrite(s.Else, rewrite) };
                }

                if (rewrite(s) is { } kept)
                {
                    result.Add(kept);
                }
            }

            return result.ToEquatableArray();
        }
    }
}
