using System.Collections.Generic;
using System.Threading;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using DiffGen.Generator.Passes;

namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// The opt-in modes: FTangent (forward mode), FHessianVector (reverse over forward) and FHessian (for methods
    /// of scalars, H built column by column from Hessian-vector products, then symmetrised).
    /// </summary>
    internal static class SecondOrderEmitter
    {
        public const int Forward = 2;
        public const int Hessian = 4;
        public const int Jacobian = 8;

        public static void Write(SourceWriter w, MethodModel model, EmitOptions options, CancellationToken cancellationToken)
        {
            var tangent = TangentTransform.Build(model.Program!, model.Parameters);
            if (tangent.Unsupported is not null)
            {
                return; // reported as DG0017 by the pipeline
            }

            var tangentParameters = new List<ParameterModel>(model.Parameters);
            int k = 0;
            foreach (var p in model.Parameters)
            {
                if (!p.Active)
                {
                    continue;
                }

                var v = tangent.Program.Variables[tangent.TangentParameters[k++]];
                string type = p.Shape == Shape.Scalar ? MethodEmitter.TypeName(p.ElementType)
                    : p.Shape == Shape.Matrix ? MethodEmitter.TypeName(p.ElementType) + "[,]"
                    : "global::System.ReadOnlySpan<" + MethodEmitter.TypeName(p.ElementType) + ">";
                tangentParameters.Add(new ParameterModel(v.Name, type, p.ElementType, p.Shape, v.Storage, false, null));
            }

            string? outputTangent = null;
            if (tangent.OutputTangent >= 0)
            {
                var v = tangent.Program.Variables[tangent.OutputTangent];
                outputTangent = v.Name;
                tangentParameters.Add(new ParameterModel(v.Name, "global::System.Span<" + MethodEmitter.TypeName(v.Type) + ">", v.Type, Shape.Vector, Storage.Output, false, null));
            }

            string cref = "<see cref=\"" + model.Name + "\"/>";
            var signature = new List<string>();
            foreach (var p in tangentParameters)
            {
                signature.Add(p.TypeDisplay + " " + p.Name);
            }

            if (outputTangent is not null)
            {
                // A vector-valued method: J·v by forward mode, and the Jacobian from it or from the pullback.
                var vectorModel = model with { Program = tangent.Program, Parameters = tangentParameters.ToEquatableArray() };
                w.Line();
                new BodyEmitter(vectorModel, options, cancellationToken).WriteVectorTangent(w, model.Name, string.Join(", ", signature), cref, outputTangent);
                if ((model.Modes & Jacobian) != 0)
                {
                    JacobianEmitter.Write(w, model, outputTangent);
                }

                return;
            }

            if ((model.Modes & Forward) != 0)
            {
                var forwardModel = model with { Program = tangent.Program, Parameters = tangentParameters.ToEquatableArray() };
                w.Line();
                new BodyEmitter(forwardModel, options, cancellationToken)
                    .WriteTangent(w, model.Name, string.Join(", ", signature), cref, tangent.PrimalResult, tangent.TangentResult, Unique("tangent", tangentParameters));
            }

            if ((model.Modes & Hessian) == 0)
            {
                return;
            }

            // Reverse over the tangent program: x and its direction are both active.
            var hvParameters = new List<ParameterModel>();
            var gradients = new List<(string, ParameterModel)>();
            var products = new List<(string, ParameterModel)>();
            for (int i = 0; i < tangentParameters.Count; i++)
            {
                var p = tangentParameters[i];
                if (i < model.Parameters.Count)
                {
                    string? hv = p.Active ? "hv" + Upper(p.Name) : null;
                    hvParameters.Add(p with { AdjointName = hv });
                    if (hv is not null)
                    {
                        products.Add((hv, p));
                    }
                }
                else
                {
                    var original = Original(model, i - model.Parameters.Count);
                    string d = original.AdjointName!;
                    hvParameters.Add(p with { Active = true, AdjointName = d });
                    gradients.Add((d, original));
                }
            }

            var program = ActivityAnalysis.Run(tangent.Program, hvParameters.ToEquatableArray());
            var hvModel = model with { Program = program, Parameters = hvParameters.ToEquatableArray() };
            var hvSignature = new List<string>(signature);
            foreach (var (d, p) in gradients)
            {
                hvSignature.Add((p.Shape == Shape.Scalar ? "out " : string.Empty) + MethodEmitter.AdjointType(p) + " " + d);
            }

            foreach (var (hv, p) in products)
            {
                hvSignature.Add((p.Shape == Shape.Scalar ? "out " : string.Empty) + MethodEmitter.AdjointType(p) + " " + hv);
            }

            var outputs = new List<(string, ParameterModel)>(gradients);
            outputs.AddRange(products);
            w.Line();
            new BodyEmitter(hvModel, options, cancellationToken)
                .SwapAdjointNames(tangent.NamedTangents)
                .WriteHessianVector(w, model.Name, string.Join(", ", hvSignature), cref, tangent.PrimalResult, outputs);

            WriteHessian(w, model, products.Count, options);
        }

        /// <summary>FHessian(…, Span&lt;T&gt; hessian) for methods whose differentiable parameters are all scalars.</summary>
        private static void WriteHessian(SourceWriter w, MethodModel model, int n, EmitOptions options)
        {
            var active = new List<ParameterModel>();
            foreach (var p in model.Parameters)
            {
                if (p.Active)
                {
                    if (p.Shape != Shape.Scalar)
                    {
                        return;
                    }

                    active.Add(p);
                }
            }

            if (n == 0)
            {
                return;
            }

            string t = MethodEmitter.TypeName(model.ReturnType);
            string one = Sym.Literal(1, model.ReturnType);
            string zero = Sym.Literal(0, model.ReturnType);
            string half = Sym.Literal(0.5, model.ReturnType);
            var names = new HashSet<string>();
            foreach (var p in model.Parameters)
            {
                names.Add(p.Name);
            }

            // The method's own locals must not take a parameter's name (a parameter j and the loop's j: CS0136).
            string hessian = FrontEnd.SignatureReader.Unique("hessian", names);
            string value = FrontEnd.SignatureReader.Unique("value", names);
            string row = FrontEnd.SignatureReader.Unique("i", names);
            string column = FrontEnd.SignatureReader.Unique("j", names);
            string mean = FrontEnd.SignatureReader.Unique("mean", names);
            var parameters = new List<string>();
            var arguments = new List<string>();
            foreach (var p in model.Parameters)
            {
                parameters.Add(p.TypeDisplay + " " + p.Name);
                arguments.Add(p.Name);
            }

            parameters.Add("Span<" + t + "> " + hessian);
            string nText = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Computes <see cref=\"" + model.Name + "\"/> and writes its " + nText + "×" + nText + " Hessian with respect to "
                + string.Join(", ", Names(active)) + " into <paramref name=\"" + hessian + "\"/>, row-major.");
            w.Line("/// Column j is the Hessian-vector product with the j-th unit vector; the result is symmetrised.");
            w.Line("/// </summary>");
            var formulas = options.FormulaComments ? Formulas.DeriveSecond(model) : new List<string>();
            if (formulas.Count > 0)
            {
                w.Line("/// <remarks>");
                w.Line("/// Second derivatives, as derived by DiffGen (the Hessian is symmetric):");
                w.Line("/// <code>");
                foreach (var line in formulas)
                {
                    w.Line("/// " + line);
                }

                w.Line("/// </code>");
                w.Line("/// </remarks>");
            }

            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"DiffGen\", \"" + MethodEmitter.Version + "\")]");
            w.Open(model.Accessibility + " static " + t + " " + model.Name + "Hessian(" + string.Join(", ", parameters) + ")");
            w.Open("if (" + hessian + ".Length != " + nText + " * " + nText + ")");
            w.Line("throw new ArgumentException(\"The Hessian buffer must hold " + nText + " × " + nText + " values.\", \"" + hessian + "\");");
            w.Close();
            w.Line(t + " " + value + " = " + zero + ";");
            for (int j = 0; j < n; j++)
            {
                var call = new List<string>(arguments);
                for (int i = 0; i < n; i++)
                {
                    call.Add(i == j ? one : zero);
                }

                for (int i = 0; i < n; i++)
                {
                    call.Add("out _");
                }

                for (int i = 0; i < n; i++)
                {
                    call.Add("out " + hessian + "[" + (i * n + j).ToString(System.Globalization.CultureInfo.InvariantCulture) + "]");
                }

                bool hidden = false;
                foreach (var p in model.Parameters)
                {
                    hidden |= p.Name == model.Name + "HessianVector";
                }

                w.Line(value + " = " + (hidden ? model.QualifiedType + "." : string.Empty) + model.Name + "HessianVector(" + string.Join(", ", call) + ");");
            }

            string upper = hessian + "[" + row + " * " + nText + " + " + column + "]";
            string lower = hessian + "[" + column + " * " + nText + " + " + row + "]";
            w.Open("for (int " + row + " = 0; " + row + " < " + nText + "; " + row + "++)");
            w.Open("for (int " + column + " = " + row + " + 1; " + column + " < " + nText + "; " + column + "++)");
            w.Line(t + " " + mean + " = " + half + " * (" + upper + " + " + lower + ");");
            w.Line(upper + " = " + mean + ";");
            w.Line(lower + " = " + mean + ";");
            w.Close();
            w.Close();
            w.Line("return " + value + ";");
            w.Close();
        }

        private static IEnumerable<string> Names(List<ParameterModel> parameters)
        {
            foreach (var p in parameters)
            {
                yield return "<paramref name=\"" + p.Name + "\"/>";
            }
        }

        private static ParameterModel Original(MethodModel model, int activeIndex)
        {
            int k = 0;
            foreach (var p in model.Parameters)
            {
                if (p.Active && k++ == activeIndex)
                {
                    return p;
                }
            }

            return model.Parameters[0];
        }

        private static string Unique(string name, List<ParameterModel> parameters)
        {
            var names = new HashSet<string>();
            foreach (var p in parameters)
            {
                names.Add(p.Name);
            }

            return FrontEnd.SignatureReader.Unique(name, names);
        }

        /// <summary>dX from x: derived names drop a verbatim '@' (d@double is not an identifier, dDouble is).</summary>
        private static string Upper(string s)
        {
            s = s.StartsWith("@", System.StringComparison.Ordinal) ? s.Substring(1) : s;
            return s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);
        }
    }
}
