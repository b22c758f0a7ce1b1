import Restaurant
import Testing

/// What callers say, as speech-to-text writes it down, and the dish they mean.
@Suite struct MenuMatchingTests {
    static let bellaNapoli: [(heard: String, item: String)] = [
        ("pepperoni pizza", "pizza-pepperoni"),
        ("peperoni", "pizza-pepperoni"),
        ("a large pep", "pizza-pepperoni"),
        ("pepperonis", "pizza-pepperoni"),
        ("I'd like a pepperoni pie please", "pizza-pepperoni"),
        ("pepper only pizza", "pizza-pepperoni"),
        ("margherita", "pizza-margherita"),
        ("margarita pizza", "pizza-margherita"),
        ("a cheese pizza", "pizza-margherita"),
        ("quattro formaggi", "pizza-quattro-formaggi"),
        ("four cheese pizza", "pizza-quattro-formaggi"),
        ("quatro formagi", "pizza-quattro-formaggi"),
        ("hawaiian", "pizza-hawaiian"),
        ("hawaiin pizza", "pizza-hawaiian"),
        ("ham and pineapple", "pizza-hawaiian"),
        ("diavola", "pizza-diavola"),
        ("the spicy salami one", "pizza-diavola"),
        ("veggie pizza", "pizza-veggie"),
        ("vegetable pizza", "pizza-veggie"),
        ("calzone", "calzone"),
        ("cal zone", "calzone"),
        ("spaghetti carbonara", "carbonara"),
        ("spagetti carbonara", "carbonara"),
        ("carbonera", "carbonara"),
        ("bolognese", "bolognese"),
        ("spaghetti bolognaise", "bolognese"),
        ("lasagna", "lasagna"),
        ("lasagne", "lasagna"),
        ("fettucini alfredo", "fettuccine-alfredo"),
        ("gnocchi", "gnocchi"),
        ("nyokee", "gnocchi"),
        ("tiramisu", "tiramisu"),
        ("tira misu", "tiramisu"),
        ("canoli", "cannoli"),
        ("panna cotta", "panna-cotta"),
        ("pana cota", "panna-cotta"),
        ("ceasar salad", "caesar-salad"),
        ("cesar salad", "caesar-salad"),
        ("caprese", "caprese"),
        ("calamari", "calamari"),
        ("fried calamary", "calamari"),
        ("brushetta", "bruschetta"),
        ("garlic bread", "garlic-bread"),
        ("garlic knots", "garlic-bread"),
        ("a coke", "coke"),
        ("coca cola", "coke"),
        ("diet coke", "diet-coke"),
        ("sparkling water", "sparkling-water"),
        ("pellegrino", "sparkling-water"),
        ("lemonade", "lemonade"),
        ("cioppino", "cioppino"),
        ("chopino", "cioppino"),
        ("seafood stew", "cioppino"),
    ]

    static let trattoria: [(heard: String, item: String)] = [
        ("eine Pizza Salami bitte", "pizza-salami"),
        ("salami pizza", "pizza-salami"),
        ("Margarita", "pizza-margherita"),
        ("Pizza Schinken und Pilze", "pizza-prosciutto-funghi"),
        ("prosciutto funghi", "pizza-prosciutto-funghi"),
        ("vier Jahreszeiten", "pizza-quattro-stagioni"),
        ("Thunfischpizza", "pizza-tonno"),
        ("Spagetti Carbonara", "spaghetti-carbonara"),
        ("Penne Arabiata", "penne-arrabbiata"),
        ("Lasagne", "lasagne"),
        ("Pilzrisotto", "risotto-funghi"),
        ("Risotto mit Pilzen", "risotto-funghi"),
        ("Saltimboka", "saltimbocca"),
        ("Vitello Tonato", "vitello-tonnato"),
        ("einen gemischten Salat", "insalata-mista"),
        ("Tiramisu", "tiramisu"),
        ("eine große Apfelschorle", "apfelschorle"),
        ("Apfelsaftschorle", "apfelschorle"),
        ("zwei Spezi", "spezi"),
        ("Sprudel", "mineralwasser"),
    ]

    @Test func bellaNapoliUnderstandsItsCallers() async throws {
        let matcher = MenuMatcher(menu: try await RestaurantFixtures.skill("bella-napoli").profile.menu)
        var misses: [String] = []
        for (heard, item) in Self.bellaNapoli {
            let best = matcher.search(heard).first
            if best?.item.id != item { misses.append("'\(heard)' → \(best.map { "\($0.item.id) (\($0.score))" } ?? "nothing"), expected \(item)") }
        }
        #expect(misses.isEmpty, "\(misses.joined(separator: "\n"))")
        #expect(Self.bellaNapoli.count + Self.trattoria.count >= 40)
    }

    @Test func theTrattoriaUnderstandsGermanCallers() async throws {
        let matcher = MenuMatcher(menu: try await RestaurantFixtures.skill("trattoria-da-enzo").profile.menu)
        var misses: [String] = []
        for (heard, item) in Self.trattoria {
            let best = matcher.search(heard).first
            if best?.item.id != item { misses.append("'\(heard)' → \(best.map { "\($0.item.id) (\($0.score))" } ?? "nothing"), expected \(item)") }
        }
        #expect(misses.isEmpty, "\(misses.joined(separator: "\n"))")
    }

    @Test func optionsSaidWithTheDishAreRecognised() async throws {
        let matcher = MenuMatcher(menu: try await RestaurantFixtures.skill("bella-napoli").profile.menu)
        let match = try #require(matcher.search("a large pep").first)
        #expect(match.item.id == "pizza-pepperoni")
        #expect(match.options.map(\.id) == ["large"])
    }

    @Test func somethingNotOnTheMenuMatchesNothing() async throws {
        let matcher = MenuMatcher(menu: try await RestaurantFixtures.skill("bella-napoli").profile.menu)
        for heard in ["sushi", "a helicopter", "um", "beef burrito"] {
            #expect(matcher.search(heard).isEmpty, "\(heard) → \(matcher.search(heard).map(\.item.id))")
        }
    }

    @Test func aVagueRequestListsSeveralDishes() async throws {
        let matcher = MenuMatcher(menu: try await RestaurantFixtures.skill("bella-napoli").profile.menu)
        let matches = matcher.search("pizza", limit: 10)
        #expect(matches.count >= 5)
        #expect(matches.allSatisfy { $0.item.categoryID == "pizza" || $0.item.id == "calzone" })
    }
}
