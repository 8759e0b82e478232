@allure.label.epic:Projects
Feature: Projects and their cuts
  Each organisation keeps its projects and their cuts to itself. Its admins and producers start
  projects, add cuts, look at them and delete them, and the studio admins, who run the work of
  every agency, do the same; to anyone else they do not exist, and the portal answers as it does
  for a project that never existed. Deleting hides a project or a cut
  from everyone but keeps it in the portal's records, for the audit.

  Background:
    Given Brightside Agency has the cut "Harbour Lights", version 3

  Rule: An organisation's admins and producers, and the studio admins, manage its projects and cuts; to anyone else they do not exist

    @allure.severity:critical @mux
    Scenario: Theo starts a project and uploads a cut to it
      Given Theo is signed in
      When Theo starts the project "Tidewater campaign" with the cut "Tidewater teaser", version 2
      Then Theo finds the cut "Tidewater teaser", version 2, uploading in the project "Tidewater campaign"

    @negative @security
    Scenario Outline: <person> finds no trace of Brightside's project
      Given <person> is signed in
      When <person> looks for the project and its cut
      Then the portal answers <person> as if the project and its cut did not exist

      Examples:
        | person  |
        | Mallory |
        | Lena    |
        | Gina    |

    Scenario: Ada, at the studio, finds Brightside's project and its cut
      Given Ada is signed in
      When Ada looks for the project and its cut
      Then the portal shows Ada the project and its cut

  Rule: Deleting a project hides it and its cuts from everyone, keeps them for the audit, and revokes their links

    Scenario: A deleted project disappears, and the links to its cuts stop working
      Given Theo has shared the cut with Gina
      When Theo deletes the cut's project
      Then Theo no longer finds the project
      And none of the links to the cut works any more
      And the portal still keeps its record of the cut, marked as deleted

  Rule: Names, titles and descriptions that guests read hold no invisible characters that change what they see
    A right-to-left override makes "cut_v3<U+202E>vom.exe" read as "cut_v3exe.mov"; control characters
    cannot be stored or shown. A description may run over several lines; a name or title may not.

    @negative @security
    Scenario Outline: <place> holding <character> is refused, naming the field "<field>"
      Given Theo is signed in, with a cut to share
      When Theo types <place> holding <character>
      Then the portal rejects the request as "validation_failed", in the standard error shape
      And the error names the field "<field>"

      Examples:
        | place                | character                      | field       |
        | a project's name     | a right-to-left override       | name        |
        | a project's name     | a C1 control character         | name        |
        | a milestone's title  | a bidirectional isolate        | title       |
        | a task's title       | a line break                   | title       |
        | a task's description | a right-to-left override       | description |
        | a task's description | a C1 control character         | description |
        | a task's description | a NUL character                | description |
        | a project's name     | the first C1 control character | name        |
        | a project's name     | the last C1 control character  | name        |
        | a milestone's title  | the last C0 control character  | title       |
        | a task's description | the delete character           | description |

    Scenario Outline: <place> in any script, with accents and emoji, is kept as typed
      Given Theo is signed in, with a cut to share
      When Theo types <place> in several scripts, with accents and emoji
      Then the portal keeps the text exactly as typed

      Examples:
        | place                |
        | a project's name     |
        | a milestone's title  |
        | a task's description |

    Scenario: A task's description over several lines, with tabs, is kept as typed
      Given Theo is signed in, with a cut to share
      When Theo types a task's description over several lines, with tabs
      Then the portal keeps the text exactly as typed
