using System.Collections.Generic;
using DiffGen.Generator.Ir;

namespace DiffGen.Generator.Passes
{
    /// <summary>
    /// Removes assignments whose values are never read (unused temps, flags nothing tests). All expressions in
    /// differentiable code are pure, so this never changes the result; it repeats until nothing more goes.
    /// </summary>
    internal static class DeadCodeElimination
    {
        /// <param name="keep">Variables read after the program (besides its result), e.g. the primal value of a tangent program.</param>
        public static IrProgram Run(IrProgram program, params int[] keep)
        {
            while (true)
            {
                var read = new HashSet<int>(keep) { program.Result };
                StatementWalker.Walk(program.Body, s =>
                {
                    foreach (var a in s.Args)
                    {
                        read.Add(a);
                    }

                    if (s.Kind is StmtKind.For)
                    {
                        read.Add(s.Target);
                    }
                });

                bool removed = false;
                var body = StatementWalker.Rewrite(program.Body, s =>
                {
                    if (s.Kind == StmtKind.Assign && !read.Contains(s.Target) && program.Variables[s.Target].Role != VarRole.Parameter)
                    {
                        removed = true;
                        return null;
                    }

                    // An if with nothing left in either branch.
                    if (s.Kind == StmtKind.If && s.Body.Count == 0 && s.Else.Count == 0)
                    {
                        removed = true;
                        return null;
                    }

                    return s;
                });
                program = program with { Body = body };
                if (!removed)
                {
                    return program;
                }
            }
        }
    }
}
