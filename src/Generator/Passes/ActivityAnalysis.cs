using System.Collections.Generic;
using DiffGen.Generator.FrontEnd;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Passes
{
    /// <summary>
    /// Activity analysis: a variable is active when it depends on an active input (varied) and influences the
    /// result (useful). Only active variables get adjoints; everything else is skipped by the reverse sweep.
    /// The analysis is flow-insensitive (a buffer or a reassigned local is one variable), which is conservative.
    /// </summary>
    internal static class ActivityAnalysis
    {
        public static IrProgram Run(IrProgram program, EquatableArray<ParameterModel> parameters)
        {
            var (varied, useful) = Compute(program, parameters);
            var variables = new IrVariable[varied.Length];
            for (int i = 0; i < variables.Length; i++)
            {
                var v = program.Variables[i];
                variables[i] = v with { Active = varied[i] && useful[i] && TypeClassifier.IsReal(v.Type) };
            }

            return program with { Variables = new EquatableArray<IrVariable>(variables) };
        }

        /// <summary>Which variables depend on an active input, and which influence the result.</summary>
        public static (bool[] Varied, bool[] Useful) Compute(IrProgram program, EquatableArray<ParameterModel> parameters)
        {
            int n = program.Variables.Count;
            var varied = new bool[n];
            var useful = new bool[n];
            for (int i = 0; i < n; i++)
            {
                var v = program.Variables[i];
                if (v.Role == VarRole.Parameter && v.ParameterIndex < parameters.Count && parameters[v.ParameterIndex].Active)
                {
                    varied[i] = true;
                }
            }

            useful[program.Result] = true;
            for (int i = 0; i < n; i++)
            {
                // A vector-valued method's outputs are what its derivatives are of.
                var v = program.Variables[i];
                if (v.Role == VarRole.Parameter && v.ParameterIndex < parameters.Count && parameters[v.ParameterIndex].Output)
                {
                    useful[i] = true;
                }
            }

            var edges = new List<(int From, int To)>();
            StatementWalker.Walk(program.Body, s => AddEdges(program, s, edges));

            bool changed = true;
            while (changed)
            {
                changed = false;
                foreach (var (from, to) in edges)
                {
                    if (varied[from] && !varied[to])
                    {
                        varied[to] = true;
                        changed = true;
                    }

                    if (useful[to] && !useful[from])
                    {
                        useful[from] = true;
                        changed = true;
                    }
                }
            }

            return (varied, useful);
        }

        /// <summary>The derivative-carrying data flow of one statement: from each real operand to the value it defines.</summary>
        private static void AddEdges(IrProgram program, IrStatement s, List<(int, int)> edges)
        {
            bool Real(int id) => TypeClassifier.IsReal(program.Variables[id].Type);
            switch (s.Kind)
            {
                case StmtKind.Assign:
                    if (!Real(s.Target) || s.Op is Op.Const or Op.Named or Op.Length)
                    {
                        return;
                    }

                    if (s.Op == Op.Math && MathCalls.IsPiecewiseConstant(s.Function))
                    {
                        return;
                    }

                    if (s.Op == Op.Load)
                    {
                        edges.Add((s.Args[0], s.Target));
                        return;
                    }

                    for (int i = 0; i < s.Args.Count; i++)
                    {
                        if (Real(s.Args[i]) && (s.Op != Op.Call || program.Calls[s.Aux].ActiveParameters[i]))
                        {
                            edges.Add((s.Args[i], s.Target));
                        }
                    }

                    return;
                case StmtKind.Store:
                case StmtKind.StoreAdd:
                    edges.Add((s.Args[s.Args.Count - 1], s.Args[0]));
                    return;
            }
        }
    }
}
