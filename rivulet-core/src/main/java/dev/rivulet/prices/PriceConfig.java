package dev.rivulet.prices;

import dev.rivulet.config.ConfigValue;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Configuration of the demo price ticker. */
@ApplicationScoped
public class PriceConfig {

    @Inject
    @ConfigProperty(name = "rivulet.prices.symbols", defaultValue = "AAPL,MSFT,GOOG,AMZN,NVDA")
    String symbolsValue;

    @Inject
    @ConfigProperty(name = "rivulet.prices.interval", defaultValue = "PT1S")
    String intervalValue;

    private List<String> symbols;
    private Duration interval;

    @PostConstruct
    void read() {
        symbols = Arrays.stream(symbolsValue.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (symbols.isEmpty() || symbols.size() > 1000 || symbols.stream().anyMatch(s -> s.length() > 32)) {
            throw ConfigValue.invalid("rivulet.prices.symbols", symbolsValue,
                    "a comma-separated list of 1 to 1000 symbols of at most 32 characters");
        }
        interval = ConfigValue.durationIn("rivulet.prices.interval", intervalValue, Duration.ofMillis(10), Duration.ofHours(1));
    }

    public List<String> symbols() {
        return symbols;
    }

    public Duration interval() {
        return interval;
    }
}
