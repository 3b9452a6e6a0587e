// The class list of an EA-style evaluation. Objects are numbered by their position in ontology.objects and radio
// options by classification → radio attribute → option (spec §3.4), as EA v0.1.40 does, but the two numberings are
// kept apart: EA started both at 0 and so merged "Car" with the first radio option.
import type { Ontology } from '../../model.ts';
import type { ActiveClass, ClassSpace } from './types.ts';

export interface ClassLookup {
  classes: ActiveClass[];
  /** object featureNodeHash -> class index (objects in the space only). */
  objectClass: Map<string, number>;
  /** optionKey(classification, attribute, option) -> class index (options in the space only). */
  optionClass: Map<string, number>;
}

export const optionKey = (classificationHash: string, attributeHash: string, optionHash: string) =>
  `${classificationHash}\u0000${attributeHash}\u0000${optionHash}`;

export function buildClasses(ontology: Ontology, space: ClassSpace): ClassLookup {
  const classes: ActiveClass[] = [];
  const objectClass = new Map<string, number>();
  const optionClass = new Map<string, number>();
  if (space !== 'classifications') {
    ontology.objects.forEach((o, position) => {
      // EA's lookup keeps the first object of a featureNodeHash.
      if (objectClass.has(o.featureNodeHash)) return;
      objectClass.set(o.featureNodeHash, classes.length);
      classes.push({
        index: classes.length,
        space: 'object',
        eaClassId: position,
        featureHash: o.featureNodeHash,
        name: o.name,
        color: o.color,
        shape: o.shape,
      });
    });
  }
  if (space !== 'objects') {
    let k = 0;
    for (const c of ontology.classifications) {
      for (const attribute of c.attributes) {
        if (attribute.type !== 'radio') continue;
        for (const option of attribute.options) {
          const key = optionKey(c.featureNodeHash, attribute.featureNodeHash, option.featureNodeHash);
          const eaClassId = k++;
          if (optionClass.has(key)) continue;
          optionClass.set(key, classes.length);
          classes.push({
            index: classes.length,
            space: 'classification',
            eaClassId,
            featureHash: c.featureNodeHash,
            attributeHash: attribute.featureNodeHash,
            optionHash: option.featureNodeHash,
            name: option.label,
            shape: 'radio',
          });
        }
      }
    }
  }
  return { classes, objectClass, optionClass };
}
