using System.Collections.Generic;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// The methods of a vector-valued method (one that writes its outputs into an [Output] span and returns void):
    /// a pullback that takes one seed per output (a vector-Jacobian product) and a tangent that writes one tangent
    /// per output (a Jacobian-vector product). The sweeps are the scalar ones; only the shells differ.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        /// <summary>FBackward(…, ReadOnlySpan&lt;T&gt; dY, adjoints…): writes the outputs and adds dYᵀ·J into the adjoints.</summary>
        public void WriteVectorBackward(SourceWriter w)
        {
            var output = _model.Output!;
            string name = _model.Name;
            string cref = "<see cref=\"" + name + "(" + CrefTypes() + ")\"/>";
            var parameters = new List<string>(MethodEmitter.Parameters(_model))
            {
                "ReadOnlySpan<" + T + "> " + output.AdjointName,
            };
            var active = new List<ParameterModel>();
            foreach (var p in _model.Parameters)
            {
                if (p.Active)
                {
                    active.Add(p);
                    parameters.Add((p.Shape == Shape.Scalar ? "ref " : string.Empty) + MethodEmitter.AdjointType(p) + " " + p.AdjointName);
                }
            }

            w.Line("/// <summary>");
            w.Line("/// The pullback of " + cref + ": writes its outputs into <paramref name=\"" + output.Name + "\"/> and adds");
            w.Line("/// the vector-Jacobian product <paramref name=\"" + output.AdjointName + "\"/>ᵀ·J into the adjoints of " + Describe(active) + "");
            w.Line("/// (one seed per output; the adjoints accumulate).");
            w.Line("/// </summary>");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"DiffGen\", \"" + MethodEmitter.Version + "\")]");
            w.Open(_model.Accessibility + " static void " + name + "Backward(" + string.Join(", ", parameters) + ")");
            w.Open("if (" + output.AdjointName + ".Length != " + output.Name + ".Length)");
            w.Line("throw new ArgumentException(\"There must be one seed per output: '" + output.AdjointName + "' must have the same length as '" + output.Name + "'.\", \"" + output.AdjointName + "\");");
            w.Close();
            foreach (var p in active)
            {
                if (p.Shape != Shape.Scalar)
                {
                    WriteShapeCheck(w, p);
                }
            }

            int outputVariable = OutputVariable();
            if (outputVariable >= 0 && _program.Variables[outputVariable].Active)
            {
                // The reverse sweep hands each output's adjoint on and then clears it, as for any overwritten
                // element, so it works on a copy of the caller's seeds.
                string work = SignatureReader_Unique(output.AdjointName + "Work");
                w.Line("// The reverse sweep passes each output's adjoint on and clears it: it works on a copy of the seeds.");
                Buffer(w, T, work, output.Name + ".Length", -1);
                w.Line(output.AdjointName + ".CopyTo(" + work + ");");
                w.Line();
                _adjoints[outputVariable] = work;
            }

            // When the reverse sweep restores overwritten outputs (it reads their old values), the final outputs
            // are kept aside after the forward sweep and put back at the end.
            System.Action<SourceWriter>? keep = null, putBack = null;
            if (outputVariable >= 0 && RestoresElementsOf(outputVariable))
            {
                string final = SignatureReader_Unique(output.Name + "Final");
                keep = x =>
                {
                    x.Line("// The reverse sweep restores overwritten outputs: keep the final ones aside.");
                    Buffer(x, T, final, output.Name + ".Length", -1);
                    x.Line(output.Name + ".CopyTo(" + final + ");");
                };
                putBack = x => x.Line(final + ".CopyTo(" + output.Name + ");");
            }

            WriteBody(w, returnsValue: false, afterForward: keep, afterReverse: putBack);
            w.Close();
        }

        private bool RestoresElementsOf(int array)
        {
            bool restores = false;
            Passes.StatementWalker.Walk(_program.Body, s =>
            {
                restores |= s.Kind is StmtKind.Store or StmtKind.StoreAdd && s.Args[0] == array && _plan[s].Save != SaveKind.None;
            });
            return restores;
        }

        /// <summary>FTangent(…, directions…, Span&lt;T&gt; yDot): writes the outputs and their tangents J·v.</summary>
        public void WriteVectorTangent(SourceWriter w, string name, string parameterList, string cref, string outputTangent)
        {
            var output = _model.Output!;
            w.Line("/// <summary>");
            w.Line("/// Computes " + cref + " into <paramref name=\"" + output.Name + "\"/> and, by forward mode, the Jacobian-vector");
            w.Line("/// product J·v into <paramref name=\"" + outputTangent + "\"/>, for the direction v given by the <c>…Dot</c> arguments");
            w.Line("/// (one per differentiable parameter).");
            w.Line("/// </summary>");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"DiffGen\", \"" + MethodEmitter.Version + "\")]");
            w.Open(_model.Accessibility + " static void " + name + "Tangent(" + parameterList + ")");
            w.Open("if (" + outputTangent + ".Length != " + output.Name + ".Length)");
            w.Line("throw new ArgumentException(\"There must be one tangent per output: '" + outputTangent + "' must have the same length as '" + output.Name + "'.\", \"" + outputTangent + "\");");
            w.Close();
            w.Line("// An output the method does not write has a zero tangent.");
            w.Line(outputTangent + ".Clear();");
            WriteBody(w, withReverse: false, returnsValue: false);
            w.Close();
        }

        private int OutputVariable()
        {
            for (int i = 0; i < _program.Variables.Count; i++)
            {
                var v = _program.Variables[i];
                if (v.Role == VarRole.Parameter && v.ParameterIndex < _model.Parameters.Count && _model.Parameters[v.ParameterIndex].Output)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
