using System.Collections.Generic;
using System.Globalization;
using DiffGen.Generator.FrontEnd;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// FJacobian for a vector-valued method: the full Jacobian, row-major (one row per output, one column per
    /// differentiable input, parameters in order and arrays element by element). It is assembled from the generated
    /// pullback (one reverse sweep per output gives a row) or from the generated tangent (one forward sweep per input
    /// gives a column), whichever takes fewer sweeps for the sizes of this call.
    /// </summary>
    internal static class JacobianEmitter
    {
        public static void Write(SourceWriter w, MethodModel model, string outputTangent)
        {
            var output = model.Output!;
            var taken = new HashSet<string>();
            var active = new List<ParameterModel>();
            foreach (var p in model.Parameters)
            {
                taken.Add(p.Name);
                if (p.Active)
                {
                    if (p.Shape == Shape.Matrix)
                    {
                        return; // reported as DG0017 by the pipeline
                    }

                    active.Add(p);
                }
            }

            string t = MethodEmitter.TypeName(model.ReturnType);
            string one = Sym.Literal(1, model.ReturnType);
            string zero = Sym.Literal(0, model.ReturnType);
            string jacobian = SignatureReader.Unique("jacobian", taken);
            string outputs = SignatureReader.Unique("outputs", taken);
            string inputs = SignatureReader.Unique("inputs", taken);
            string i = SignatureReader.Unique("i", taken);
            string k = SignatureReader.Unique("k", taken);

            // Where each input's columns start: a constant plus the lengths of the arrays before it.
            var offsets = new List<string>();
            var lengths = new List<string>();
            int scalars = 0;
            foreach (var p in active)
            {
                offsets.Add(Sum(scalars, lengths));
                if (p.Shape == Shape.Scalar)
                {
                    scalars++;
                }
                else
                {
                    lengths.Add(p.Name + ".Length");
                }
            }

            string inputCount = Sum(scalars, lengths);
            var parameters = new List<string>(MethodEmitter.Parameters(model)) { "Span<" + t + "> " + jacobian };
            var inputNames = new List<string>();
            foreach (var p in active)
            {
                inputNames.Add(p.Shape == Shape.Scalar ? p.Name : p.Name + "[0], " + p.Name + "[1], …");
            }

            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Computes <see cref=\"" + model.Name + "\"/> into <paramref name=\"" + output.Name + "\"/> and its Jacobian into <paramref name=\"" + jacobian + "\"/>, row-major:");
            w.Line("/// one row per output, one column per input (" + string.Join(", ", inputNames) + ").");
            w.Line("/// Rows come from " + model.Name + "Backward (one reverse sweep per output) when there are no more outputs than");
            w.Line("/// inputs, columns from " + model.Name + "Tangent (one forward sweep per input) otherwise.");
            w.Line("/// </summary>");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"DiffGen\", \"" + MethodEmitter.Version + "\")]");
            w.Open(model.Accessibility + " static void " + model.Name + "Jacobian(" + string.Join(", ", parameters) + ")");
            w.Line("int " + outputs + " = " + output.Name + ".Length;");
            w.Line("int " + inputs + " = " + inputCount + ";");
            w.Open("if (" + jacobian + ".Length != " + outputs + " * " + inputs + ")");
            w.Line("throw new ArgumentException(\"The Jacobian buffer must hold " + output.Name + ".Length × (" + inputCount.Replace("\"", string.Empty) + ") values.\", \"" + jacobian + "\");");
            w.Close();
            w.Line();

            // Reverse: row i is the pullback of the i-th unit seed.
            string seed = SignatureReader.Unique("seed", taken);
            string row = SignatureReader.Unique("row", taken);
            w.Open("if (" + outputs + " <= " + inputs + ")");
            w.Line("// Reverse mode: row " + i + " is the pullback of the " + i + "-th unit seed. The adjoints accumulate, so the rows start at zero.");
            w.Line(jacobian + ".Clear();");
            Rent(w, t, seed, outputs);
            w.Open("for (int " + i + " = 0; " + i + " < " + outputs + "; " + i + "++)");
            w.Line("Span<" + t + "> " + row + " = " + jacobian + ".Slice(" + i + " * " + inputs + ", " + inputs + ");");
            w.Line(seed + "[" + i + "] = " + one + ";");
            var backward = new List<string>();
            foreach (var p in model.Parameters)
            {
                backward.Add(p.Name);
            }

            backward.Add(seed);
            for (int a = 0; a < active.Count; a++)
            {
                backward.Add(active[a].Shape == Shape.Scalar
                    ? "ref " + row + "[" + offsets[a] + "]"
                    : row + ".Slice(" + offsets[a] + ", " + active[a].Name + ".Length)");
            }

            w.Line(model.Callable(model.Name + "Backward") + "(" + string.Join(", ", backward) + ");");
            w.Line(seed + "[" + i + "] = " + zero + ";");
            w.Close();
            w.Line("ArrayPool<" + t + ">.Shared.Return(" + seed + "Rented);");
            w.Line("return;");
            w.Close();
            w.Line();

            // Forward: column j is the tangent along the j-th unit direction.
            w.Line("// Forward mode: each column is the tangent of the outputs along one unit direction of the inputs.");
            string tangent = SignatureReader.Unique(outputTangent, taken);
            Rent(w, t, tangent, outputs);
            var directions = new List<string>();
            foreach (var p in active)
            {
                if (p.Shape == Shape.Scalar)
                {
                    directions.Add(string.Empty);
                    continue;
                }

                string direction = SignatureReader.Unique(p.Name + "Direction", taken);
                directions.Add(direction);
                Rent(w, t, direction, p.Name + ".Length");
            }

            for (int a = 0; a < active.Count; a++)
            {
                var p = active[a];
                var call = new List<string>();
                foreach (var q in model.Parameters)
                {
                    call.Add(q.Name);
                }

                for (int b = 0; b < active.Count; b++)
                {
                    call.Add(active[b].Shape != Shape.Scalar ? directions[b] : a == b ? one : zero);
                }

                call.Add(tangent);
                string invoke = model.Callable(model.Name + "Tangent") + "(" + string.Join(", ", call) + ");";
                if (p.Shape == Shape.Scalar)
                {
                    w.Line("// The column of " + p.Name + ".");
                    w.Line(invoke);
                    CopyColumn(w, jacobian, tangent, outputs, inputs, i, offsets[a]);
                    continue;
                }

                w.Line("// The columns of " + p.Name + ", one element at a time.");
                w.Open("for (int " + k + " = 0; " + k + " < " + p.Name + ".Length; " + k + "++)");
                w.Line(directions[a] + "[" + k + "] = " + one + ";");
                w.Line(invoke);
                w.Line(directions[a] + "[" + k + "] = " + zero + ";");
                CopyColumn(w, jacobian, tangent, outputs, inputs, i, (offsets[a] == "0" ? string.Empty : offsets[a] + " + ") + k);
                w.Close();
            }

            foreach (string direction in directions)
            {
                if (direction.Length > 0)
                {
                    w.Line("ArrayPool<" + t + ">.Shared.Return(" + direction + "Rented);");
                }
            }

            w.Line("ArrayPool<" + t + ">.Shared.Return(" + tangent + "Rented);");
            w.Close();
        }

        private static void Rent(SourceWriter w, string type, string name, string length)
        {
            w.Line(type + "[] " + name + "Rented = ArrayPool<" + type + ">.Shared.Rent(" + length + ");");
            w.Line("Span<" + type + "> " + name + " = " + name + "Rented.AsSpan(0, " + length + ");");
            w.Line(name + ".Clear();");
        }

        private static void CopyColumn(SourceWriter w, string jacobian, string tangent, string outputs, string inputs, string i, string column)
        {
            w.Open("for (int " + i + " = 0; " + i + " < " + outputs + "; " + i + "++)");
            w.Line(jacobian + "[" + i + " * " + inputs + " + " + column + "] = " + tangent + "[" + i + "];");
            w.Close();
        }

        private static string Sum(int constant, List<string> lengths)
        {
            var parts = new List<string>();
            if (constant > 0 || lengths.Count == 0)
            {
                parts.Add(constant.ToString(CultureInfo.InvariantCulture));
            }

            parts.AddRange(lengths);
            return string.Join(" + ", parts);
        }
    }
}
