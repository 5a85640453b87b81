package dialtone.provisioning;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Reads rendered config files the way phones do: a real XML parser, and line-by-line key/value text. */
final class ConfigFiles {

    private ConfigFiles() {}

    static Document xml(String body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(body)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + body, e);
        }
    }

    /** Text of the first element with this name (anywhere). */
    static String element(Document doc, String name) {
        NodeList nodes = doc.getElementsByTagName(name);
        if (nodes.getLength() == 0) {
            throw new AssertionError("no element <" + name + ">");
        }
        return nodes.item(0).getTextContent();
    }

    /** Every attribute of every element, by attribute name (Polycom's format). */
    static Map<String, String> attributes(Document doc) {
        Map<String, String> out = new LinkedHashMap<>();
        collect(doc.getDocumentElement(), out);
        return out;
    }

    private static void collect(Element element, Map<String, String> out) {
        NamedNodeMap attrs = element.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            out.put(attrs.item(i).getNodeName(), attrs.item(i).getNodeValue());
        }
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child) {
                collect(child, out);
            }
        }
    }

    /** Element names and attribute names in document order: what a value must never change. */
    static List<String> structure(Document doc) {
        List<String> out = new ArrayList<>();
        shape(doc.getDocumentElement(), out, "");
        return out;
    }

    private static void shape(Node node, List<String> out, String indent) {
        if (node instanceof Element element) {
            StringBuilder line = new StringBuilder(indent).append(element.getTagName());
            NamedNodeMap attrs = element.getAttributes();
            for (int i = 0; i < attrs.getLength(); i++) {
                line.append(' ').append(attrs.item(i).getNodeName());
            }
            out.add(line.toString());
            NodeList children = element.getChildNodes();
            for (int i = 0; i < children.getLength(); i++) {
                shape(children.item(i), out, indent + " ");
            }
        }
    }

    /** Linphone and Snom style: the text of the element whose attribute {@code name} has this value. */
    static String named(Document doc, String tag, String attribute, String value) {
        NodeList nodes = doc.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (value.equals(e.getAttribute(attribute))) {
                return e.getTextContent();
            }
        }
        throw new AssertionError("no <" + tag + " " + attribute + "=\"" + value + "\">");
    }

    /** {@code key = value} (Yealink) or {@code key: value} (Aastra) lines; '#' comments; no key twice. */
    static Map<String, String> keyValues(String body, String separator) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : body.split("\n", -1)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int at = line.indexOf(separator);
            if (at < 0) {
                throw new AssertionError("not a key" + separator + "value line: '" + line + "'");
            }
            String key = line.substring(0, at).trim();
            if (values.put(key, line.substring(at + separator.length()).trim()) != null) {
                throw new AssertionError("key set twice: " + key);
            }
        }
        return values;
    }
}
