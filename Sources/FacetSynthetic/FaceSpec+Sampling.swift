import FacetRandom
// Drawing a face: demographics first, then the identity, expression and nuisances they imply.

extension FaceSpec {
    /// Samples one face from `rng` with the label frequencies of `preset`.
    static func sample(_ rng: inout SeededGenerator, preset: SyntheticPreset, options o: SyntheticOptions) -> FaceSpec {
        var f = FaceSpec()
        f.sampleDemographics(&rng, preset)
        f.sampleIdentity(&rng)
        f.sampleExpression(&rng, preset)
        f.sampleAccessories(&rng, preset)
        f.sampleNuisance(&rng, o)
        f.renderSeed = rng.next() | 1
        return f
    }

    private mutating func sampleDemographics(_ rng: inout SeededGenerator, _ preset: SyntheticPreset) {
        let band = rng.pick(preset.ageWeights)
        let (lo, hi) = AgeBand.range(band)
        ageYears = rng.uniform(lo, hi)
        self[.age] = Int32(band)
        self[.gender] = Int32(rng.below(2))
        self[.ethnicity] = Int32(rng.pick(preset.ethnicityWeights))
    }

    private mutating func sampleIdentity(_ rng: inout SeededGenerator) {
        for i in shape.indices { shape[i] = rng.normal(0, 1) }
        let male = self[.gender] == 1, age = ageYears
        func add(_ m: ShapeMode, _ v: Float) { shape[m.rawValue] += v }
        // Sex: wider jaw, lower heavier brows, longer nose for men; fuller lips, larger eyes for women.
        if age > 13 {
            let s: Float = min(1, (age - 13) / 6)
            if male { add(.jawWidth, 0.9 * s); add(.browHeight, -0.6 * s); add(.noseLength, 0.4 * s); add(.faceLength, 0.3 * s) }
            else { add(.lipThickness, 0.5 * s); add(.eyeSize, 0.3 * s); add(.browHeight, 0.4 * s); add(.jawWidth, -0.4 * s) }
        }
        // Children: short lower face, big eyes and forehead, small nose; old age: thin lips, long nose.
        if age < 16 {
            let k = (16 - age) / 16
            add(.faceLength, -3.5 * k); add(.eyeSize, 2.2 * k); add(.noseLength, -2.5 * k); add(.mouthWidth, -1.5 * k)
            add(.foreheadHeight, 1.5 * k); add(.jawWidth, -1.0 * k); add(.chinLength, -1.2 * k); add(.noseWidth, -1.0 * k)
            add(.faceWidth, 0.8 * k); add(.browHeight, 0.8 * k)
        } else if age > 50 {
            let k = min(1, (age - 50) / 30)
            add(.lipThickness, -1.0 * k); add(.noseLength, 0.5 * k); add(.chinLength, 0.4 * k)
            add(.foreheadHeight, male ? 0.8 * k : 0)
        }
        switch self[.ethnicity] {
        case 0: add(.noseWidth, -0.4); add(.noseLength, 0.4)
        case 1: add(.eyeHeight, -1.1); add(.eyeSlant, 0.7); add(.faceWidth, 0.5); add(.noseLength, -0.4)
        case 2: add(.noseWidth, 1.3); add(.lipThickness, 1.3); add(.noseLength, -0.2)
        case 3: add(.noseLength, 0.3); add(.eyeSize, 0.2)
        default: break
        }
        // Appearance, with skin tone by group, greying hair and wrinkles with age.
        let tone: [(Float, Float)] = [(0.72, 0.07), (0.66, 0.06), (0.26, 0.08), (0.45, 0.08), (0.55, 0.12)]
        let (tm, ts) = tone[Int(self[.ethnicity])]
        var a = [Float](repeating: 0, count: AppearanceCoefficient.allCases.count)
        a[AppearanceCoefficient.skin.rawValue] = clamp01(rng.normal(tm, ts))
        a[AppearanceCoefficient.texture.rawValue] = clamp01(rng.uniform(0.1, 0.6) + max(0, age - 40) / 100)
        a[AppearanceCoefficient.wrinkles.rawValue] = clamp01((age - 28) / 45 + rng.normal(0, 0.08))
        a[AppearanceCoefficient.browDark.rawValue] = clamp01(rng.uniform(0.35, 0.85) + (male ? 0.15 : 0) - (age < 10 ? 0.25 : 0))
        a[AppearanceCoefficient.lipDark.rawValue] = clamp01(rng.uniform(0.1, 0.5) + (male || age < 14 ? 0 : rng.uniform(0, 0.5)))
        a[AppearanceCoefficient.irisDark.rawValue] = self[.ethnicity] == 0 ? rng.uniform(0, 1) : rng.uniform(0.6, 1)
        let naturalDark: Float = self[.ethnicity] == 0 ? rng.uniform(0.25, 1) : rng.uniform(0.8, 1)
        let grey = clamp01((age - 42) / 35 + rng.normal(0, 0.12))
        a[AppearanceCoefficient.hairDark.rawValue] = clamp01(naturalDark * (1 - 0.85 * grey))
        let bald = male && age > 35 && rng.chance(min(0.5, (age - 35) / 60))
        a[AppearanceCoefficient.hairLength.rawValue] = bald ? 0 : (male ? (rng.chance(0.12) ? rng.uniform(0.4, 0.9) : rng.uniform(0.05, 0.35))
                                                                  : (rng.chance(0.15) ? rng.uniform(0.15, 0.35) : rng.uniform(0.45, 1)))
        a[AppearanceCoefficient.hairVolume.rawValue] = bald ? 0 : rng.uniform(0.1, 1)
        a[AppearanceCoefficient.fringe.rawValue] = bald ? 0 : (rng.chance(0.35) ? rng.uniform(0.3, 1) : rng.uniform(0, 0.2))
        appearance = a
    }

    private mutating func sampleExpression(_ rng: inout SeededGenerator, _ preset: SyntheticPreset) {
        let emotion = Emotion(rawValue: rng.pick(preset.emotionWeights))!
        self[.emotion] = Int32(emotion.rawValue)
        // Intensity uniform in 0.15...1: weak expressions overlap neutral and each other.
        intensity = emotion == .neutral ? 0 : 0.15 + 0.85 * rng.unit()
        let signed: Set<Int> = [ExpressionUnit.mouthCorners.rawValue, ExpressionUnit.eyeOpening.rawValue,
                                ExpressionUnit.lipStretch.rawValue]
        for (i, v) in emotion.prototype.enumerated() {
            // Each person expresses with their own style, over a resting face of their own.
            let style = rng.uniform(0.65, 1.35)
            var x = v * style * intensity + rng.normal(0, 0.08)
            if emotion == .happy && i == ExpressionUnit.jawDrop.rawValue { x *= rng.uniform(0, 2.4) }   // closed to open smiles
            x = signed.contains(i) ? min(max(x, -1), 1) : min(max(x, 0), 1)
            expression[i] = x
        }
    }

    private mutating func sampleAccessories(_ rng: inout SeededGenerator, _ preset: SyntheticPreset) {
        let male = self[.gender] == 1, adult = ageYears >= 17
        let pGlasses: Float = preset == .uniform ? 0.5 : min(0.6, 0.1 + (ageYears < 10 ? -0.06 : 0) + max(0, ageYears - 40) / 70)
        if rng.chance(pGlasses) {
            self[.glasses] = 1
            glassesStyle = rng.chance(0.1) ? 3 : (rng.chance(0.5) ? 1 : 2)
        }
        if male && adult {
            let beardW: [Float] = preset == .uniform ? [1, 1, 1] : [0.55, 0.25, 0.2 + min(0.15, (ageYears - 17) / 200)]
            self[.beard] = Int32(rng.pick(beardW))
            let given: [[Float]] = [[0.8, 0.1, 0.1], [0.3, 0.6, 0.1], [0.05, 0.15, 0.8]]
            self[.moustache] = Int32(rng.pick(preset == .uniform ? [1, 1, 1] : given[Int(self[.beard])]))
        } else if !male && adult && preset != .uniform && rng.chance(0.004) {
            self[.moustache] = 1   // faint upper-lip hair
        }
        // Drawn density: light 0.15...0.45, heavy 0.6...1; "light" borders "none" as in the paper.
        func density(_ k: Int32) -> Float { k == 0 ? 0 : (k == 1 ? rng.uniform(0.12, 0.45) : rng.uniform(0.6, 1)) }
        beard = density(self[.beard])
        moustache = density(self[.moustache])
    }

    private mutating func sampleNuisance(_ rng: inout SeededGenerator, _ o: SyntheticOptions) {
        yaw = rng.normal(0, o.yawSD)
        pitch = rng.normal(0, o.pitchSD)
        roll = rng.normal(0, o.rollSD)
        lightX = rng.uniform(-0.9, 0.9)
        lightY = rng.uniform(-0.7, 0.25)
        ambient = rng.uniform(0.35, 0.75)
        contrast = rng.uniform(0.7, 1.2)
        brightness = rng.uniform(-25, 25)
        background = rng.uniform(0.1, 0.9)
        clutter = Int32(2 + rng.below(8))
        noise = rng.uniform(0, o.maxNoise)
        blur = rng.chance(o.blurRate) ? rng.uniform(0.3, 0.8) : 0
        jitter = SIMD4(rng.normal(0, 1), rng.normal(0, 1), rng.normal(0, 1), rng.normal(0, 1))
        sceneScale = rng.uniform(0.12, 0.22)
        sceneX = rng.uniform(0.35, 0.65)
        sceneY = rng.uniform(0.36, 0.5)
        if rng.chance(o.occlusionRate) {
            occluder = Int32(1 + rng.below(3))
            occluderAmount = rng.uniform(0.2, 0.7)
        }
    }
}

func clamp01(_ x: Float) -> Float { min(max(x, 0), 1) }

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
