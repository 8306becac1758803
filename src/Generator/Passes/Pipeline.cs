using System.Collections.Generic;
using System.Threading;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.FrontEnd;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Passes
{
    /// <summary>
    /// The middle of the generator: resolves calls against [DerivativeOf] registrations, then runs the passes in
    /// order. Every pass is a pure function of the model, so this step is cached like any other.
    /// </summary>
    internal static class Pipeline
    {
        public static MethodModel Run(MethodModel model, EquatableArray<DerivativeRegistration> registrations, CancellationToken cancellationToken)
        {
            if (model.Program is not { } program)
            {
                return model;
            }

            var diagnostics = new List<DiagnosticInfo>(model.Diagnostics);
            program = ResolveCalls(program, registrations);
            cancellationToken.ThrowIfCancellationRequested();
            program = Simplifier.Run(program);
            program = CommonSubexpressions.Run(program);
            program = DeadCodeElimination.Run(program);
            program = ActivityAnalysis.Run(program, model.Parameters);
            var varied = ActivityAnalysis.Compute(program, model.Parameters).Varied;
            ReportUnresolvedCalls(program, diagnostics);
            WarnAboutZeroDerivatives(program, varied, diagnostics);
            WarnAboutStoppedGradients(program, varied, diagnostics);
            if ((model.Modes & 6) != 0)
            {
                // Forward mode composes through calls (with the callee's pullback); second order does not yet.
                StatementWalker.Walk(program.Body, s =>
                {
                    if (s.Kind == StmtKind.Assign && s.Op == Op.Call && program.Variables[s.Target].Active)
                    {
                        string callee = program.Calls[s.Aux].Primal.Replace("global::", string.Empty);
                        var call = program.Calls[s.Aux];
                        if ((model.Modes & 4) != 0 && call.HessianVector is null)
                        {
                            string name = callee.Substring(callee.LastIndexOf('.') + 1);
                            string remedy = "give a [Differentiable] callee DiffModes.Hessian; next to a [DerivativeOf] pullback, write a static "
                                + name + "HessianVector with the shape of a generated one (docs/second-order.md); or inline the call";
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModeUnsupported, s.Location, model.Name,
                                "a call to '" + callee + "' with DiffModes.Hessian, and the callee has no Hessian-vector product (" + remedy + ")"));
                        }
                        else if ((model.Modes & 4) != 0 && HasActiveBufferArgument(program, s, matricesOnly: true))
                        {
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModeUnsupported, s.Location, model.Name,
                                "a call to '" + callee + "' with a differentiable matrix argument in DiffModes.Hessian (pass its rows as spans, or inline the call)"));
                        }
                        else if (HasActiveBufferArgument(program, s, matricesOnly: true) && (call.Tangent is null || HasInactiveMatrixArgument(program, s, varied)))
                        {
                            // Forward mode passes a matrix's tangent to the callee's FTangent; the pullback route would
                            // need a T[,] scratch adjoint, which cannot be pooled.
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModeUnsupported, s.Location, model.Name,
                                "a call to '" + callee + "' with a differentiable matrix argument in DiffModes.Forward, and "
                                + (call.Tangent is null ? "the callee has no FTangent (give it DiffModes.Forward, or inline the call)" : "an argument matrix that does not depend on the inputs (pass it through a [NoDiff] parameter)")));
                        }
                    }
                });
            }

            return model with { Program = program, Diagnostics = diagnostics.ToEquatableArray() };
        }

        /// <summary>A matrix passed for an active parameter of the callee that has no tangent (it does not vary with the inputs).</summary>
        private static bool HasInactiveMatrixArgument(IrProgram program, IrStatement s, bool[] varied)
        {
            var call = program.Calls[s.Aux];
            for (int i = 0; i < s.Args.Count && i < call.ActiveParameters.Count; i++)
            {
                if (call.ActiveParameters[i] && program.Variables[s.Args[i]].Shape is Shape.Matrix or Shape.Jagged && !varied[s.Args[i]])
                {
                    return true;
                }
            }

            return false;
        }

        private static bool HasActiveBufferArgument(IrProgram program, IrStatement s, bool matricesOnly)
        {
            var call = program.Calls[s.Aux];
            for (int i = 0; i < s.Args.Count && i < call.ActiveParameters.Count; i++)
            {
                var shape = program.Variables[s.Args[i]].Shape;
                if (call.ActiveParameters[i] && (matricesOnly ? shape is Shape.Matrix or Shape.Jagged : shape != Shape.Scalar))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>DG0019 at each call to a method that gets no generated pullback (see <see cref="CallGraph"/>).</summary>
        public static MethodModel ReportBrokenCallees(MethodModel model, EquatableArray<string> broken)
        {
            if (model.Program is not { } program || broken.Count == 0)
            {
                return model;
            }

            var diagnostics = new List<DiagnosticInfo>(model.Diagnostics);
            foreach (int i in ActiveCalls(program))
            {
                var call = program.Calls[i];
                foreach (string key in broken)
                {
                    if (key == call.Key)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BrokenCallee, call.Location, call.Primal.Replace("global::", string.Empty)));
                    }
                }
            }

            return diagnostics.Count == model.Diagnostics.Count ? model : model with { Diagnostics = diagnostics.ToEquatableArray() };
        }

        private static IrProgram ResolveCalls(IrProgram program, EquatableArray<DerivativeRegistration> registrations)
        {
            var calls = new List<IrCall>(program.Calls);
            for (int i = 0; i < calls.Count; i++)
            {
                if (calls[i].Backward is not null)
                {
                    continue;
                }

                foreach (var registration in registrations)
                {
                    if (registration.TargetKey == calls[i].Key)
                    {
                        calls[i] = calls[i] with { Backward = registration.Backward };
                        break;
                    }
                }
            }

            return program with { Calls = calls.ToEquatableArray() };
        }

        /// <summary>
        /// DG0008 for each call without a pullback whose result carries a derivative. A call on data alone (no active
        /// argument, or a result that reaches nothing differentiated) is just called: it needs no derivative.
        /// </summary>
        private static void ReportUnresolvedCalls(IrProgram program, List<DiagnosticInfo> diagnostics)
        {
            foreach (int i in ActiveCalls(program))
            {
                if (program.Calls[i].Backward is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoDerivative, program.Calls[i].Location, program.Calls[i].Primal.Replace("global::", string.Empty)));
                }
            }
        }

        /// <summary>The calls (indices into the call table) that the derivative code composes through, in order.</summary>
        public static List<int> ActiveCalls(IrProgram program)
        {
            var found = new SortedSet<int>();
            StatementWalker.Walk(program.Body, s =>
            {
                if (s.Kind == StmtKind.Assign && s.Op == Op.Call && program.Variables[s.Target].Active)
                {
                    found.Add(s.Aux);
                }
            });
            return new List<int>(found);
        }

        /// <summary>DG0018: an active value passed to a callee's [NoDiff] parameter silently stops its gradient.</summary>
        private static void WarnAboutStoppedGradients(IrProgram program, bool[] varied, List<DiagnosticInfo> diagnostics)
        {
            StatementWalker.Walk(program.Body, s =>
            {
                if (s.Kind != StmtKind.Assign || s.Op != Op.Call)
                {
                    return;
                }

                var call = program.Calls[s.Aux];
                for (int i = 0; i < s.Args.Count && i < call.ActiveParameters.Count; i++)
                {
                    int arg = s.Args[i];
                    // (A parameter still being typed has no name yet: the compiler's error comes first.)
                    if (!call.ActiveParameters[i] && varied[arg] && TypeClassifier.IsReal(program.Variables[arg].Type) && i < call.ParameterNames.Count
                        && call.ParameterNames[i].Length > 0)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GradientStops, call.Location,
                            call.ParameterNames[i], call.Primal.Replace("global::", string.Empty)));
                    }
                }
            });
        }

        /// <summary>DG0011: an active value passes through Floor, Round, Sign...: no gradient flows, which is rarely what the user meant.</summary>
        private static void WarnAboutZeroDerivatives(IrProgram program, bool[] varied, List<DiagnosticInfo> diagnostics)
        {
            StatementWalker.Walk(program.Body, s =>
            {
                if (s.Kind == StmtKind.Assign && s.Op == Op.Convert && s.Text is { } cast && varied[s.Args[0]]
                    && TypeClassifier.IsReal(program.Variables[s.Args[0]].Type) && !TypeClassifier.IsReal(program.Variables[s.Target].Type))
                {
                    var operand = program.Variables[s.Args[0]];
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ZeroDerivative, s.Location, cast,
                        operand.Role == VarRole.Temp ? "its operand" : operand.Name));
                    return;
                }

                if (s.Kind == StmtKind.Assign && s.Op == Op.Math && MathCalls.IsPiecewiseConstant(s.Function) && s.Args.Count > 0
                    && varied[s.Args[0]])
                {
                    var argument = program.Variables[s.Args[0]];
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ZeroDerivative, s.Location,
                        (s.Text ?? "Math") + "." + s.Function, argument.Role == VarRole.Temp ? "its argument" : argument.Name));
                }
            });
        }
    }
}
